from django.apps import AppConfig


class CadresConfig(AppConfig):
    """Cadre review and promotion (干部考核 / 职务晋升): eligibility, nomination, evaluation, approval, potential and the nine-box grid. A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.cadres"
    label = "cadres"
    verbose_name = "干部考核与晋升"
