"""Complaints and allegations, under /cases/concerns/ (namespace ``concerns``). The anonymous
filing and follow-up pages need no login; every other page checks access per case."""

from django.urls import path

from . import views

app_name = "concerns"
urlpatterns = [
    path("", views.concern_list, name="list"),
    path("export/", views.concern_list_export, name="list_export"),
    path("mine/", views.my_concerns, name="mine"),
    path("new/", views.concern_file, name="file"),
    path("anonymous/", views.anonymous_file, name="anonymous_file"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("follow-up/info/", views.follow_up_info, name="follow_up_info"),
    path("follow-up/file/", views.follow_up_download, name="follow_up_download"),
    path("<int:pk>/", views.concern_detail, name="detail"),
    path("<int:pk>/step/", views.concern_step, name="step"),
    path("<int:pk>/notes/", views.concern_note, name="note"),
    path("<int:pk>/info/", views.concern_info, name="info"),
    path("<int:pk>/links/", views.concern_link, name="link"),
    path("<int:pk>/files/<int:file_pk>/", views.concern_download, name="download"),
]
