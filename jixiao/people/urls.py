"""People decisions (issue 13): one include per wing, each its own namespace."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.hub, name="people_hub"),
    path("rules/", include("jixiao.people.rules.urls")),
    path("improvement/", include("jixiao.people.improvement.urls")),
    path("cadres/", include("jixiao.people.cadres.urls")),
    path("training/", include("jixiao.people.training.urls")),
    path("workplans/", include("jixiao.people.workplans.urls")),
    path("handbook/", include("jixiao.people.handbook.urls")),
]
