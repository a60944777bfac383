"""Review URLs (summaries, findings, rectification, release, interviews), included by
``cycles/urls.py`` under the ``cycles`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/summaries/", views.summary_list, name="summaries"),
    path("<int:pk>/summaries/<int:department_pk>/", views.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/check/", views.summary_check, name="summary_check"),
    path("summaries/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/answer/", views.rectification_answer, name="rectification_answer"),
    path("rectifications/<int:pk>/verify/", views.rectification_verify, name="rectification_verify"),
    path("<int:pk>/release/", views.release_settings, name="release"),
    path("<int:pk>/interviews/", views.interview_progress, name="interview_progress"),
    path("members/<int:pk>/interview/", views.interview_record, name="interview_record"),
    path("interviews/<int:pk>/acknowledge/", views.interview_acknowledge, name="interview_acknowledge"),
]
