from django.apps import AppConfig


class MonthlyReportsConfig(AppConfig):
    """The monthly report (绩效考核月报): a Django app of its own inside ``reports`` so that it keeps
    its own migrations (as the cases and people wings do, decision 39)."""

    name = "jixiao.reports.monthly"
    label = "monthly_reports"
    verbose_name = "绩效考核月报"
