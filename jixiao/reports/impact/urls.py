"""A plan's impact before approval (SPEC §5): the new version run on the last closed cycles' data."""

from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("plan/<int:pk>/", views.plan_impact, name="plan"),
    path("plan/<int:pk>/section/", views.plan_impact_section, name="plan_section"),
    path("plan/<int:pk>/xlsx/", views.plan_impact_xlsx, name="plan_xlsx"),
]
