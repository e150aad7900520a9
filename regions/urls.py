from django.urls import path

from regions import views

app_name = "regions"
# Included at the site's root: the regions under /regios/, the union houses under
# /vakbondshuizen/ (one namespace, so both keep the names regions:…).
urlpatterns = [
    path("regios/", views.region_list, name="list"),
    path("regios/<str:code>/", views.region_detail, name="detail"),
    path("vakbondshuizen/", views.house_list, name="houses"),
    path("vakbondshuizen/<slug:slug>/", views.house_detail, name="house"),
]
