"""Pages of rules that propose under /people/rules/ (namespace ``people_rules``)."""

from django.urls import path

from . import views

app_name = "people_rules"
urlpatterns = [
    path("", views.rule_sets, name="rule_sets"),
    path("new/", views.rule_set_create, name="rule_set_create"),
    path("<int:pk>/", views.rule_set_detail, name="rule_set"),
    path("<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("<int:pk>/step/", views.rule_set_step, name="rule_set_step"),
    path("<int:pk>/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/run/", views.run, name="run"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/step/", views.proposal_step, name="proposal_step"),
    path("mine/", views.mine, name="mine"),
]
