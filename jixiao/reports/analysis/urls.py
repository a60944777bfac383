"""Analysis pages under /reports/analysis/ (namespace ``analysis``)."""

from django.urls import path

from . import views

app_name = "analysis"
urlpatterns = [
    path("", views.index, name="index"),
    path("trend/", views.trend, name="trend"),
    path("compare/", views.compare, name="compare"),
    path("kpi/", views.kpi, name="kpi"),
    path("team/", views.team, name="team"),
    path("drift/", views.drift, name="drift"),
    path("people/<int:pk>/", views.person, name="person"),
    path("mine/", views.mine, name="mine"),
    path("trend/xlsx/", views.download, {"kind": "trend"}, name="trend_xlsx"),
    path("compare/xlsx/", views.download, {"kind": "compare"}, name="compare_xlsx"),
    path("kpi/xlsx/", views.download, {"kind": "kpi"}, name="kpi_xlsx"),
    path("team/xlsx/", views.download, {"kind": "team"}, name="team_xlsx"),
    path("drift/xlsx/", views.download, {"kind": "drift"}, name="drift_xlsx"),
    path("people/<int:pk>/xlsx/", views.person_download, name="person_xlsx"),
    path("mine/xlsx/", views.mine_download, name="mine_xlsx"),
]
