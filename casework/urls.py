from django.urls import path

from casework import views

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("<int:pk>/uitkomst/", views.outcome, name="outcome"),
    path("uit-signaal/<int:signal_pk>/", views.from_signal, name="from_signal"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
]
