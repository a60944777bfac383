from django.apps import AppConfig


class TrainingConfig(AppConfig):
    """Training on appraisal (培训): sessions, materials, invitations, attendance, acknowledgements. A Django app of its own inside ``people`` so that each keeps its own migrations
    (as the cases do, decision 39)."""

    name = "jixiao.people.training"
    label = "training"
    verbose_name = "培训"
