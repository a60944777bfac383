from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """Improvement plans (绩效改进计划): goals, support, reviews, outcome — growth first. A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.improvement"
    label = "improvement"
    verbose_name = "绩效改进计划"
