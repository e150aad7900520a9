from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    # public
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/aanmelden/", views.register, name="register"),
    path("<int:pk>/aangemeld/", views.registered, name="registered"),
    path("afmelden/<str:token>/", views.cancel, name="cancel"),
    # coordinators and admins
    path("planning/", views.planning, name="planning"),
    path("planning/nieuw/", views.create, name="create"),
    path("planning/<int:pk>/", views.manage, name="manage"),
    path("planning/<int:pk>/wijzigen/", views.edit, name="edit"),
    path("planning/<int:pk>/annuleren/", views.cancel_meeting, name="cancel_meeting"),
    path("planning/<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
]
