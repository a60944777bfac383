"""Appeals (申诉) against a published result and their recheck (复核) (issue 12, SPEC §3, §6).

An employee appeals their own published result, whole or on named indicators, with a reason
and evidence files. HR accepts or declines it; HR or the deputy assigns a rechecker from the
committee who has no part in the result; the rechecker may ask a rater for a statement and
recommends upholding or adjusting; the leader (the deputy when the leader is barred) decides.
An adjustment is a new version of the result and, where pay was released, a pay adjustment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class State(models.TextChoices):
    AWAITING_LEAVE = "awaiting_leave", _("待组长准予逾期申诉")
    FILED = "filed", _("待人力资源部受理")
    ACCEPTED = "accepted", _("已受理，待指派复核人")
    RECHECKING = "rechecking", _("复核中")
    RECOMMENDED = "recommended", _("待组长决定")
    UPHELD = "upheld", _("维持原结果")
    ADJUSTED = "adjusted", _("结果已调整")
    DECLINED = "declined", _("不予受理")
    CLOSED = "closed", _("不准逾期申诉")
    WITHDRAWN = "withdrawn", _("已撤回")


# Named sets of states. OPEN: the case waits on someone (one open appeal per result).
# HELD: the cycle may not lock meanwhile (from filing to the decision or the decline).
OPEN = frozenset({State.AWAITING_LEAVE, State.FILED, State.ACCEPTED, State.RECHECKING, State.RECOMMENDED})
HELD = frozenset({State.FILED, State.ACCEPTED, State.RECHECKING, State.RECOMMENDED})
SETTLED = frozenset({State.UPHELD, State.ADJUSTED, State.DECLINED, State.CLOSED, State.WITHDRAWN})


class Recommendation(models.TextChoices):
    UPHOLD = "uphold", _("维持原结果")
    ADJUST = "adjust", _("调整结果")


class Appeal(TimeStamped):
    """One employee's appeal against one published result, from filing to its decision."""

    result = models.ForeignKey("cycles.Result", on_delete=models.PROTECT, related_name="appeals")
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    appellant = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    indicators = models.JSONField(_("申诉的指标"), default=list, blank=True)  # [] = the whole result
    reason = models.TextField(_("申诉理由"))
    late = models.BooleanField(_("逾期申诉"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.FILED)
    step_began = models.DateField(_("本环节开始日期"))
    # Employees who may not recheck this case (the appellant, their raters in the cycle, their
    # reporting line, declared conflicts); refreshed by each step that needs it.
    conflicted = models.JSONField(default=list, blank=True)
    # Employees who may not decide it (the appellant, their raters, declared conflicts).
    barred_deciders = models.JSONField(default=list, blank=True)
    # The leader may not decide (barred, or the rechecker): the deputy decides instead.
    leader_barred = models.BooleanField(default=False)
    rechecker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hr_reason = models.TextField(_("受理意见"), blank=True)
    leave_reason = models.TextField(_("逾期申诉意见"), blank=True)
    recommendation = models.CharField(_("复核意见"), max_length=8, choices=Recommendation.choices, blank=True)
    recommendation_reason = models.TextField(_("复核理由"), blank=True)
    corrections = models.JSONField(default=dict, blank=True)  # recheck.Corrections.as_json()
    recommended_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What the person was graded by before and after the decision (recheck.Figures as a dict).
    figures_before = models.JSONField(default=dict, blank=True)
    figures_after = models.JSONField(default=dict, blank=True)
    replaced_version = models.ForeignKey(
        "cycles.ResultVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pay_adjustment = models.ForeignKey(
        "pay.PayAdjustment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "step_began"], name="appeal_state_began")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """How people name it: AP-12."""
        return f"AP-{self.pk}"

    @property
    def link(self) -> str:
        """The appeal's page."""
        return reverse("appeals:detail", args=[self.pk])

    @property
    def source(self) -> str:
        """How a hold, a result version and a pay adjustment name it."""
        return f"appeal:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_whole(self) -> bool:
        return not self.indicators

    @property
    def is_adjusted(self) -> bool:
        return self.state == State.ADJUSTED


class AppealFile(models.Model):
    """An evidence file of an appeal, stored under the data directory (common/files.py)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("文件名"), max_length=120)
    path = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Statement(TimeStamped):
    """A rater's statement (评分人说明), asked for by the rechecker; the rater sees the appeal
    only once one is asked of them."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("待说明")
        ANSWERED = "answered", _("已说明")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="statements")
    rater = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("请说明的问题"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.REQUESTED)
    answer = models.TextField(_("说明"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    step_began = models.DateField(_("要求说明日期"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.appeal_id}/{self.rater_id}"

    @property
    def is_answered(self) -> bool:
        return self.state == Statement.State.ANSWERED
