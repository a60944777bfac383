"""What all kinds of case share: the days each step may take (configurable by HR).

Each kind of case is its own Django app inside this package (``appeals``, ``concerns``,
``suggestions``) with its own models and migrations; this app holds only the step deadlines.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class StepDeadline(TimeStamped):
    """How many calendar days a step of a case may take before it is overdue (and escalated)."""

    kind = models.CharField(_("案件类型"), max_length=16)  # "appeal", "complaint", "allegation", "suggestion"
    step = models.CharField(_("环节"), max_length=24)  # a state of that kind's workflow
    days = models.PositiveSmallIntegerField(_("期限（天）"))

    class Meta:
        ordering = ["kind", "step"]
        constraints = [models.UniqueConstraint(fields=["kind", "step"], name="cases_deadline_once")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.step}: {self.days}"
