from django.contrib import admin
from django.urls import include, path

from fnvregio import health, views
from fnvregio.metrics import metrics_view
from members.enrolment import invitation as mfa_invitation

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.live, name="healthz"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/tweede-factor/<str:token>/", mfa_invitation, name="mfa_invitation"),
    path("accounts/", include("allauth.urls")),
    path("", include("regions.urls")),  # /regios/ and /vakbondshuizen/
    path("", include("audit.urls")),
    path("regioplannen/", include("plans.urls")),
    path("trajecten/", include("trajectories.urls")),
    path("afspraken/", include("loopbaan.urls")),
    path("doorverwijzingen/", include("referrals.urls")),
    path("bijeenkomsten/", include("meetings.urls")),
    path("informatie/", include("pages.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("collectieve-zaken/", include("casework.urls")),
    path("arbeidsmarkt/", include("labourmarket.urls")),
    path("", include("signals.urls")),
    path("leden/", include("members.urls")),
    path("beheer/", admin.site.urls),
]

# 400, 403 and 404 use Django's handlers with the templates 400.html, 403.html and 404.html;
# the server error page also shows a reference that is written to the log.
handler500 = "fnvregio.errors.server_error"
