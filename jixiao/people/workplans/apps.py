from django.apps import AppConfig


class WorkplansConfig(AppConfig):
    """Appraisal work plans (工作计划): annual, quarterly and monthly plans of the appraisal work. A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.workplans"
    label = "workplans"
    verbose_name = "工作计划"
