"""Handbook pages under /people/handbook/ (namespace ``handbook``)."""

from django.urls import path

from . import views

app_name = "handbook"
urlpatterns = [
    path("", views.handbook_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_page, name="page"),
    path("<int:pk>/revise/", views.version_start, name="version_start"),
    path("<int:pk>/diff/", views.version_diff, name="diff"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/step/", views.version_step, name="version_step"),
    path("versions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("versions/<int:pk>/acknowledgements/", views.compliance, name="acknowledgements"),
]
