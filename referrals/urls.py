from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("mijn/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/oppakken/", views.accept, name="accept"),
    path("<int:pk>/afronden/", views.complete, name="complete"),
    path("<int:pk>/afwijzen/", views.decline, name="decline"),
]
