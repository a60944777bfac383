from django.urls import path

from . import calibration_views, entry_views, job_views, review_views, views

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("mine/", views.my_results, name="my_results"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/transition/", views.cycle_transition, name="cycle_transition"),
    path("<int:pk>/close/", job_views.close_start, name="close_start"),
    path("<int:pk>/close/progress/", job_views.close_progress, name="close_progress"),
    path("<int:pk>/grid/", views.grid, name="grid"),
    path("<int:pk>/self/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/actuals/", views.actuals, name="actuals"),
    path("<int:pk>/actuals/template.xlsx", views.actuals_template, name="actuals_template"),
    path("<int:pk>/actuals/entry/", entry_views.actuals_entry, name="actuals_entry"),
    path("<int:pk>/results/", views.results, name="results"),
    path("members/<int:pk>/score/", views.score_save, name="score_save"),
    path("members/<int:pk>/actual/", views.actual_save, name="actual_save"),
    path("members/<int:pk>/self-submit/", views.self_submit, name="self_submit"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("<int:pk>/calibration/", calibration_views.calibration_page, name="calibration"),
    path("results/<int:pk>/calibrate/", calibration_views.calibration_move, name="calibration_move"),
    path("<int:pk>/summaries/", review_views.summary_list, name="summaries"),
    path("<int:pk>/summaries/<int:department_pk>/", review_views.summary_detail, name="summary_detail"),
    path("summaries/<int:pk>/check/", review_views.summary_check, name="summary_check"),
    path("summaries/<int:pk>/findings/", review_views.finding_add, name="finding_add"),
    path("rectifications/", review_views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/answer/", review_views.rectification_answer, name="rectification_answer"),
    path("rectifications/<int:pk>/verify/", review_views.rectification_verify, name="rectification_verify"),
    path("<int:pk>/release/", review_views.release_settings, name="release"),
    path("<int:pk>/interviews/", review_views.interview_progress, name="interview_progress"),
    path("members/<int:pk>/interview/", review_views.interview_record, name="interview_record"),
    path(
        "interviews/<int:pk>/acknowledge/", review_views.interview_acknowledge, name="interview_acknowledge"
    ),
]
