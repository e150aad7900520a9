from django.urls import path

from plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("te-beoordelen/", views.awaiting_review, name="awaiting"),
    path("nieuw/", views.start, name="start"),
    path("voorbeeld/", views.preview, name="preview"),
    path("deadline/", views.region_deadline, name="region_deadline"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bewerken/", views.edit, name="edit"),
    path("<int:pk>/bewerken/<slug:section>/", views.edit_section, name="edit_section"),
    path("<int:pk>/bewerken/<slug:section>/automatisch/", views.autosave, name="autosave"),
    path("<int:pk>/status/", views.transition, name="transition"),
    path("<int:pk>/opmerkingen/", views.comment_add, name="comment_add"),
    path(
        "<int:pk>/opmerkingen/<int:comment_pk>/afhandelen/",
        views.comment_resolve,
        name="comment_resolve",
    ),
    path("<int:pk>/notities/", views.note_add, name="note_add"),
    path("<int:pk>/deadline/", views.set_deadline, name="deadline"),
    path("<int:pk>/volgend-jaar/", views.next_year, name="next_year"),
    path("<int:pk>/versies/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/vergelijken/", views.compare, name="compare"),
    path("<int:pk>/afdrukken/", views.print_view, name="print"),
]
