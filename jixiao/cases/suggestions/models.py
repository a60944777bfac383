"""Suggestions (意见反馈) on the appraisal system (issue 12 item 4, SPEC §6).

Anyone logged in makes a suggestion; HR triages it: answers it, or closes it as noted. HR may
publish an answer on the page of published answers everyone reads (without the suggester's
name). The monthly report counts them (``selectors.suggestions_for_month``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class Topic(models.TextChoices):
    PLAN_RULES = "plan_rules", _("考核方案与指标")
    SCORING = "scoring_process", _("评分与数据录入")
    RESULTS = "results_release", _("结果公布与面谈")
    PAY_RULES = "pay_rules", _("绩效薪酬")
    SOFTWARE = "software", _("系统使用")
    OTHER = "other_topic", _("其他")


class State(models.TextChoices):
    RECEIVED = "received", _("待处理")
    ANSWERED = "answered", _("已答复")
    NOTED = "noted", _("已阅备查")
    PUBLISHED = "published", _("已答复并公开")


# Named sets of states: OPEN waits on HR; ANSWERED_STATES carry an answer the suggester reads.
OPEN = frozenset({State.RECEIVED})
ANSWERED_STATES = frozenset({State.ANSWERED, State.PUBLISHED})


class Suggestion(TimeStamped):
    """One suggestion on the appraisal system and HR's answer."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("方面"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("意见或建议"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.RECEIVED)
    step_began = models.DateField(_("本环节开始日期"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "step_began"], name="suggestion_state_began")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """How people name it: SG-12."""
        return f"SG-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def has_answer(self) -> bool:
        return self.state in ANSWERED_STATES
