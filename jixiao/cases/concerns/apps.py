from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    """Complaints (投诉) and allegations (举报, anonymous ones too), handled by the deputy."""

    name = "jixiao.cases.concerns"
    label = "concerns"
    verbose_name = "投诉与举报"
