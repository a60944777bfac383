from django.apps import AppConfig


class HandbookConfig(AppConfig):
    """The policy handbook (制度 / 手册): versioned pages, approval, acknowledgements. A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.handbook"
    label = "handbook"
    verbose_name = "制度手册"
