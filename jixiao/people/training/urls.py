"""Training pages under /people/training/ (namespace ``training``)."""

from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("untrained/", views.untrained, name="untrained"),
    path("my-rules/", views.my_rules, name="my_rules"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/step/", views.session_step, name="step"),
    path("<int:pk>/invite/", views.session_invite, name="invite"),
    path("<int:pk>/materials/", views.material_upload, name="material_upload"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("<int:pk>/attendance/template/", views.attendance_template, name="attendance_template"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("materials/<int:pk>/", views.material_download, name="material"),
]
