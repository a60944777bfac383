"""Cadre review pages under /people/cadres/ (namespace ``cadres``)."""

from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.nominations, name="nominations"),
    path("mine/", views.mine, name="mine"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:level>/", views.rule_edit, name="rule_edit"),
    path("nominate/<int:employee>/<int:position>/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/", views.nomination, name="nomination"),
    path("nominations/<int:pk>/step/", views.step, name="step"),
    path("nominations/<int:pk>/score/", views.score, name="score"),
    path("nominations/<int:pk>/conflict/", views.conflict, name="conflict"),
    path("nominations/<int:pk>/decide/", views.decide, name="decide"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/potential/", views.potential, name="potential"),
    path("talent/", views.talent, name="talent"),
]
