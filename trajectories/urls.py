from django.urls import path

from trajectories import overview_views, participant_views, signup_views, views

app_name = "trajectories"
urlpatterns = [
    # adviser
    path("", views.my_trajectories, name="my_trajectories"),
    path("intake/", views.intake_queue, name="intake_queue"),
    path("intake/nieuw/", views.intake_new, name="intake_new"),
    path("intake/<int:pk>/", views.intake_take, name="intake_take"),
    path("intake/<int:pk>/intrekken/", views.intake_withdraw, name="intake_withdraw"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/doelen/", views.goal_add, name="goal_add"),
    path("<int:pk>/doelen/<int:goal_pk>/", views.goal_update, name="goal_update"),
    path("<int:pk>/plan-afspreken/", views.plan_agree, name="plan_agree"),
    path("<int:pk>/evaluaties/<int:review_pk>/", views.review_hold, name="review_hold"),
    path("<int:pk>/notities/", views.note_add, name="note_add"),
    path("<int:pk>/samenvatting/", views.summary_share, name="summary_share"),
    path("<int:pk>/workshops/", views.workshops_for, name="workshops_for"),
    path("<int:pk>/afsluiten/", views.end, name="end"),
    path("<int:pk>/overdragen/", views.reassign, name="reassign"),
    path("inschrijvingen/<int:enrolment_pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("inschrijvingen/<int:enrolment_pk>/afmelden/", participant_views.cancel, name="cancel"),
    # collective cases and aggregates
    path("zaken/", overview_views.case_list, name="case_list"),
    path("zaken/nieuw/", overview_views.case_new, name="case_new"),
    path("zaken/<int:pk>/", overview_views.case_detail, name="case_detail"),
    path("uitkomsten/", overview_views.outcomes, name="outcomes"),
    path("overdragen/", overview_views.coordinator_trajectories, name="coordinator_trajectories"),
    # public sign-up (anonymous visitors and members)
    path("aanmelden/", signup_views.public_signup, name="public_signup"),
    path("aanmelden/ontvangen/", signup_views.public_signup_done, name="public_signup_done"),
    # participant (member account)
    path("mijn-traject/", participant_views.my_trajectory, name="my_trajectory"),
    path("mijn-traject/workshops/", participant_views.my_workshops, name="my_workshops"),
    path(
        "mijn-traject/workshops/<int:session_pk>/inschrijven/",
        participant_views.enrol,
        name="enrol",
    ),
]
