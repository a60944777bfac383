"""Appraisal cycles (§3, 考核周期): the index of the app's models.

Django loads an app's models from ``<app>/models.py``; the cycles app is split into wings by
stage (lifecycle, entry, results, calibration, review), each with its own ``models.py``, so this
module only imports them. Code imports a model from its wing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.cycles.entry.models import Actual, ConflictDeclaration, Rater, Score  # noqa: F401
from jixiao.cycles.lifecycle.models import (  # noqa: F401
    COMPUTED,
    RELEASED,
    WRITABLE,
    Cycle,
    CycleMember,
    CyclePlan,
    RankRelease,
    State,
)
from jixiao.cycles.results.models import Result


class CalibrationMove(models.Model):
    """One grade moved by the committee in calibration (校准), with its reason; never edited."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="calibration_moves")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="calibration_moves")
    from_grade = models.CharField(_("原等级"), max_length=8)
    to_grade = models.CharField(_("调整后等级"), max_length=8)
    reason = models.TextField(_("调整原因"))
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.from_grade}→{self.to_grade}"


class DepartmentSummary(TimeStamped):
    """A department's month-end submission (部门汇总): the head's account of the cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("已退回")
        CHECKED = "checked", _("已核对")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="summaries")
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


class FeedbackInterview(TimeStamped):
    """The feedback interview (绩效面谈) after release: the head's record and the employee's word."""

    member = models.OneToOneField(CycleMember, on_delete=models.CASCADE, related_name="interview")
    held_on = models.DateField(_("面谈日期"))
    strengths = models.TextField(_("做得好的地方"))
    improvements = models.TextField(_("需要改进的地方"))
    goals = models.TextField(_("商定的下期目标"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employee_comment = models.TextField(_("员工意见"), blank=True)
    acknowledged_at = models.DateTimeField(_("员工确认时间"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.held_on}"
