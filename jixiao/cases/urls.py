"""Cases: the inbox, then one include per kind of case (each its own namespace)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.inbox, name="case_inbox"),
    path("deadlines/", views.deadlines, name="case_deadlines"),
    path("appeals/", include("jixiao.cases.appeals.urls")),
    path("concerns/", include("jixiao.cases.concerns.urls")),
    path("suggestions/", include("jixiao.cases.suggestions.urls")),
]
