from django.urls import path

from audit import views

app_name = "audit"
urlpatterns = [
    path("mijn-inzage/", views.my_record_access, name="my_record_access"),
]
