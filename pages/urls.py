from django.urls import path

from pages import views

app_name = "pages"
urlpatterns = [
    path("", views.page_index, name="index"),
    path("beheer/", views.manage, name="manage"),
    path("<slug:slug>/", views.page_detail, name="page"),
    path("<slug:slug>/bewerken/", views.page_edit, name="edit"),
    path("<slug:slug>/versies/", views.page_versions, name="versions"),
    path("<slug:slug>/versies/<int:number>/", views.page_version, name="version"),
    path("<slug:slug>/versies/<int:number>/terugzetten/", views.page_restore, name="restore"),
]
