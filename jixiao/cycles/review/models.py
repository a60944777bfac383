"""Department summaries (部门汇总), HR's findings (检查结果), rectification items (整改) and
feedback interviews (绩效面谈) (§3, §6).

Loaded through ``jixiao.cycles.models`` (the app's index): same app label, same tables.
Related cycle rows are named by string; only the cycle's states come from the lifecycle wing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.cycles.lifecycle.models import RELEASED, State

# The cycle states in which summaries are written, returned and checked (between closing
# scoring and HR's check), and those in which feedback interviews are recorded (after
# publication; a locked cycle still takes them, they are about the next period).
CYCLE_TAKES_SUMMARIES = frozenset({State.SCORING_CLOSED, State.SUMMARIES_SUBMITTED})
CYCLE_TAKES_INTERVIEWS = RELEASED


class DepartmentSummary(TimeStamped):
    """A department's month-end submission (部门汇总): the head's account of the cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        CHECKED = "checked", _("已核对")

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="summaries")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    work_done = models.TextField(_("本期工作完成情况"), blank=True)
    problems = models.TextField(_("存在的问题"), blank=True)
    next_steps = models.TextField(_("下期改进措施"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    # Why HR last returned it to the head; kept until the next return (the audit log has all).
    return_reason = models.TextField(_("退回原因"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "department"], name="cycles_summary_once")]

    def __str__(self) -> str:
        return f"{self.cycle_id}/{self.department_id}"

    @property
    def is_editable(self) -> bool:
        """The head may still change it (a draft, or returned by HR)."""
        return self.status in SUMMARY_EDITABLE

    @property
    def is_returned(self) -> bool:
        return self.status == DepartmentSummary.Status.RETURNED


# Named sets of summary states: the head edits a draft or a returned one; HR reviews a
# submitted or checked one; the cycle moves on once every summary is submitted, then checked.
SUMMARY_EDITABLE = frozenset({DepartmentSummary.Status.DRAFT, DepartmentSummary.Status.RETURNED})
SUMMARY_UNDER_REVIEW = frozenset({DepartmentSummary.Status.SUBMITTED, DepartmentSummary.Status.CHECKED})
SUMMARY_CHECKED = frozenset({DepartmentSummary.Status.CHECKED})


class Finding(models.Model):
    """What HR's check of a department summary found (检查结果); one may need rectification."""

    summary = models.ForeignKey(DepartmentSummary, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("检查发现"))
    needs_rectification = models.BooleanField(_("需要整改"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Rectification(TimeStamped):
    """A problem sent back to a department (整改), tracked to HR's verification."""

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        ANSWERED = "answered", _("已反馈整改情况")
        VERIFIED = "verified", _("整改已验证")

    finding = models.OneToOneField(Finding, on_delete=models.CASCADE, related_name="rectification")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("整改情况"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # Why HR last reopened it after an answer; shown to the head beside the item.
    reopen_reason = models.TextField(_("重新整改原因"), blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.department_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status == Rectification.Status.OPEN

    @property
    def is_reopened(self) -> bool:
        """Open again after HR refused an answer (the head sees why)."""
        return self.is_open and bool(self.reopen_reason)


# Rectification items still waiting on someone (an overdue one is marked on the page).
RECTIFICATION_PENDING = frozenset({Rectification.Status.OPEN, Rectification.Status.ANSWERED})


class FeedbackInterview(TimeStamped):
    """The feedback interview (绩效面谈) after release: the head's record and the employee's word.

    ``state`` is ``recorded`` until the employee acknowledges it (``acknowledged``); the record
    is then final.
    """

    class State(models.TextChoices):
        RECORDED = "recorded", _("已记录")
        ACKNOWLEDGED = "acknowledged", _("员工已确认")

    member = models.OneToOneField("cycles.CycleMember", on_delete=models.CASCADE, related_name="interview")
    held_on = models.DateField(_("面谈日期"))
    strengths = models.TextField(_("做得好的地方"))
    improvements = models.TextField(_("需要改进的地方"))
    goals = models.TextField(_("商定的下期目标"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employee_comment = models.TextField(_("员工意见"), blank=True)
    acknowledged_at = models.DateTimeField(_("员工确认时间"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.held_on}"

    @property
    def state(self) -> str:
        """``acknowledged`` once the employee has acknowledged it, else ``recorded`` (the
        interview's transition table reads and sets this; ``acknowledged_at`` stores it)."""
        return self.State.ACKNOWLEDGED if self.acknowledged_at is not None else self.State.RECORDED

    @state.setter
    def state(self, value: str) -> None:
        if value == self.State.RECORDED:
            self.acknowledged_at = None
        elif self.acknowledged_at is None:
            self.acknowledged_at = timezone.now()

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None
