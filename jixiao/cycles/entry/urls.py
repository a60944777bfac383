from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/grid/", views.grid, name="grid"),
    path("<int:pk>/self/", views.self_assessment, name="self_assessment"),
    path("<int:pk>/actuals/", views.actuals, name="actuals"),
    path("<int:pk>/actuals/template.xlsx", views.actuals_template, name="actuals_template"),
    path("<int:pk>/actuals/entry/", views.actuals_entry, name="actuals_entry"),
    path("members/<int:pk>/score/", views.score_save, name="score_save"),
    path("members/<int:pk>/actual/", views.actual_save, name="actual_save"),
    path("members/<int:pk>/self-submit/", views.self_submit, name="self_submit"),
]
