from django.urls import path

from signals import views

app_name = "signals"

urlpatterns = [
    path("spreekuren/", views.session_list, name="session_list"),
    path("spreekuren/mijn-toestemmingen/", views.my_consents, name="my_consents"),
    path(
        "spreekuren/mijn-toestemmingen/<int:pk>/intrekken/",
        views.my_consent_withdraw,
        name="my_consent_withdraw",
    ),
    path("spreekuren/nieuw/", views.session_new, name="session_new"),
    path("spreekuren/<int:pk>/wijzigen/", views.session_edit, name="session_edit"),
    path(
        "spreekuren/<int:pk>/toestemming-intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("spreekuren/werkgevers/zoeken/", views.employer_search_view, name="employer_search"),
    path("spreekuren/werkgevers/beoordelen/", views.employer_review, name="employer_review"),
    path(
        "spreekuren/werkgevers/<int:pk>/bevestigen/",
        views.employer_confirm,
        name="employer_confirm",
    ),
    path(
        "spreekuren/werkgevers/<int:pk>/samenvoegen/", views.employer_merge, name="employer_merge"
    ),
    path("signalen/", views.signal_list, name="signal_list"),
    path("signalen/kaart/", views.national_map, name="map"),
    path("signalen/meldingen/", views.inbox, name="inbox"),
    path("signalen/regio/<str:code>/", views.region_page, name="region"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("signalen/<int:pk>/actie/", views.signal_act, name="signal_act"),
    path("signalen/<int:pk>/gelezen/", views.signal_read, name="signal_read"),
]
