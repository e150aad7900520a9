from django.urls import path

from loopbaan import views

app_name = "loopbaan"

urlpatterns = [
    # members
    path("", views.mine, name="mine"),
    path("maken/", views.book_place, name="book_place"),
    path("maken/<str:place>/", views.book_slots, name="book_slots"),
    path("maken/<str:place>/<str:slot>/", views.book_confirm, name="book_confirm"),
    path("afspraak/<uuid:token>/", views.manage, name="manage"),
    path("afspraak/<uuid:token>/annuleren/", views.cancel, name="cancel"),
    path("afspraak/<uuid:token>/verzetten/<str:place>/", views.move_slots, name="move_slots"),
    path(
        "afspraak/<uuid:token>/verzetten/<str:place>/<str:slot>/",
        views.move_confirm,
        name="move_confirm",
    ),
    # consultants
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/<int:pk>/", views.consultant_appointment, name="consultant_appointment"),
    path("agenda/<int:pk>/afmelden/", views.withdraw, name="withdraw"),
    path("agenda/<int:pk>/verslag/", views.report, name="report"),
    path("verslagen/<int:pk>/", views.report_detail, name="report_detail"),
    path("beschikbaarheid/", views.availability, name="availability"),
    path(
        "beschikbaarheid/<int:pk>/verwijderen/",
        views.availability_delete,
        name="availability_delete",
    ),
    path("beschikbaarheid/vrij/<int:pk>/", views.blocked_delete, name="blocked_delete"),
    # coordinators
    path("bezetting/", views.occupancy, name="occupancy"),
]
