from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.choose, name="choose"),
    path("landelijk/", views.national, name="national"),
    path("landelijk/cijfers.csv", views.national_csv, name="national_csv"),
    path("landelijk/bijwerken/", views.refresh, name="national_refresh"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/cijfers.csv", views.region_csv, name="region_csv"),
    path("<str:code>/bijwerken/", views.refresh, name="region_refresh"),
]
