from django.urls import path

from members import employer_views, views

app_name = "members"

urlpatterns = [
    path("import/", views.import_list, name="import_list"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/voortgang/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/bevestigen/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/annuleren/", views.import_cancel, name="import_cancel"),
    path("import/<int:pk>/opnieuw/", views.import_retry, name="import_retry"),
    path("import/<int:pk>/afgewezen.csv", views.import_rejected_csv, name="import_rejected_csv"),
    path("export/", views.member_export, name="export"),
    path("werkgevers/zoeken/", employer_views.employer_search_view, name="employer_search"),
    path("<int:pk>/wissen/", views.member_erase_view, name="erase"),
    path("activeren/", views.member_activate, name="activate"),
    path("activeren/<str:token>/", views.member_activate_confirm, name="activate_confirm"),
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/correctie/", views.my_correction, name="correction"),
    path(
        "mijn-gegevens/download.<str:fmt>",
        views.my_data_download,
        name="my_data_download",
    ),
]
