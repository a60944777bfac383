"""URLs of the monthly report (绩效考核月报), under /reports/monthly/."""

from django.urls import path

from . import views

app_name = "monthly_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.report_generate, name="generate"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/regenerate/", views.report_regenerate, name="regenerate"),
    path("<int:pk>/conclusion/", views.report_conclusion, name="conclusion"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/correct/", views.report_correct, name="correct"),
    path("<int:pk>/report.<str:kind>", views.report_download, name="download"),
]
