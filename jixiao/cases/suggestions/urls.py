"""Suggestions, under /cases/suggestions/ (namespace ``suggestions``)."""

from django.urls import path

from . import views

app_name = "suggestions"
urlpatterns = [
    path("", views.suggestion_list, name="list"),
    path("export/", views.suggestion_list_export, name="list_export"),
    path("new/", views.suggestion_file, name="file"),
    path("answers/", views.published_answers, name="answers"),
    path("<int:pk>/", views.suggestion_detail, name="detail"),
    path("<int:pk>/step/", views.suggestion_step, name="step"),
]
