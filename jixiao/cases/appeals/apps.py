from django.apps import AppConfig


class AppealsConfig(AppConfig):
    """Appeals (申诉) and their recheck (复核): a Django app of its own inside ``cases`` so that
    each kind of case keeps its own migrations (docs/decisions.md, "Cases: one app per kind")."""

    name = "jixiao.cases.appeals"
    label = "appeals"
    verbose_name = "申诉"
