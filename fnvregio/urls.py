from django.contrib import admin
from django.urls import include, path

from fnvregio import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("regios/", include("regions.urls")),
    path("", include("audit.urls")),
    path("regioplannen/", include("plans.urls")),
    path("trajecten/", include("trajectories.urls")),
    path("afspraken/", include("loopbaan.urls")),
    path("", include("signals.urls")),
    path("leden/", include("members.urls")),
    path("beheer/", admin.site.urls),
]
