from django.urls import path

from casework import views

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/uitnodigen/", views.invite, name="invite"),
    path("<int:pk>/uitkomst/", views.outcome, name="outcome"),
    path("uit-signaal/<int:signal_pk>/", views.from_signal, name="from_signal"),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else is not a route (404).
    path("uitnodiging/<slug:token>/", views.invitation, name="invitation"),
]
