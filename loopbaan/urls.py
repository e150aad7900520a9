from django.urls import path

from loopbaan import desk_views, views

app_name = "loopbaan"

urlpatterns = [
    # members
    path("", views.mine, name="mine"),
    path("maken/", views.book_place, name="book_place"),
    path("maken/<str:place>/", views.book_slots, name="book_slots"),
    path("maken/<str:place>/<str:slot>/", views.book_confirm, name="book_confirm"),
    path("afspraak/<uuid:token>/", views.manage, name="manage"),
    path("afspraak/<uuid:token>/annuleren/", views.cancel, name="cancel"),
    path("afspraak/<uuid:token>/agenda.ics", views.calendar_file, name="calendar_file"),
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
    # a member on the phone: consultants, coordinators and admins book for them
    path("telefoon/", desk_views.find, name="desk_find"),
    path("telefoon/lid/<int:member>/", desk_views.member_page, name="desk_member"),
    path("telefoon/lid/<int:member>/maken/<str:place>/", desk_views.slots, name="desk_slots"),
    path(
        "telefoon/lid/<int:member>/maken/<str:place>/<str:slot>/",
        desk_views.confirm,
        name="desk_confirm",
    ),
    path("telefoon/afspraak/<int:pk>/", desk_views.appointment_page, name="desk_appointment"),
    path("telefoon/afspraak/<int:pk>/brief/", desk_views.letter, name="desk_letter"),
    path("telefoon/afspraak/<int:pk>/annuleren/", desk_views.cancel, name="desk_cancel"),
    path(
        "telefoon/afspraak/<int:pk>/verzetten/<str:place>/",
        desk_views.move_slots,
        name="desk_move_slots",
    ),
    path(
        "telefoon/afspraak/<int:pk>/verzetten/<str:place>/<str:slot>/",
        desk_views.move_confirm,
        name="desk_move_confirm",
    ),
]
