from django.urls import path

from labourmarket import views

app_name = "labourmarket"

urlpatterns = [path("uploaden/", views.upload, name="upload")]
