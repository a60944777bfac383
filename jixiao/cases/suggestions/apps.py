from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Suggestions (意见反馈) on the appraisal system, triaged and answered by HR."""

    name = "jixiao.cases.suggestions"
    label = "suggestions"
    verbose_name = "意见反馈"
