from django.urls import path

from . import calibration_views, views

app_name = "cycles"
urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("mine/", views.my_results, name="my_results"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/transition/", views.cycle_transition, name="cycle_transition"),
    path("<int:pk>/grid/", views.grid, name="grid"),
    path("<int:pk>/self/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/actuals/", views.actuals, name="actuals"),
    path("<int:pk>/actuals/template.xlsx", views.actuals_template, name="actuals_template"),
    path("<int:pk>/results/", views.results, name="results"),
    path("members/<int:pk>/score/", views.score_save, name="score_save"),
    path("members/<int:pk>/actual/", views.actual_save, name="actual_save"),
    path("members/<int:pk>/self-submit/", views.self_submit, name="self_submit"),
    path("results/<int:pk>/", views.result_detail, name="result_detail"),
    path("<int:pk>/calibration/", calibration_views.calibration_page, name="calibration"),
    path("results/<int:pk>/calibrate/", calibration_views.calibration_move, name="calibration_move"),
]
