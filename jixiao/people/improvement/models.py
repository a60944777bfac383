"""Improvement plans (绩效改进计划, issue 13): growth first.

A plan helps one employee grow after a result that asked for it. Their head writes it with them:
goals (each with a measure and a target date), the support offered (training, coaching,
resources), review dates. The employee reads it, comments and acknowledges each version of it
(``revision``); check-ins record progress; the outcome is improved, extended (new review dates,
back to review) or closed. The results that started it are linked; the plan page shows the
person's results in the cycles since it started.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class State(models.TextChoices):
    DRAFT = "draft", _("制定中")
    AGREED = "agreed", _("员工已确认")
    IN_REVIEW = "in_review", _("跟进中")
    IMPROVED = "improved", _("已达成改进")
    CLOSED = "closed", _("已结束")


# OPEN: the plan still accompanies the person (not yet improved or closed).
OPEN = frozenset({State.DRAFT, State.AGREED, State.IN_REVIEW})
FINISHED = frozenset({State.IMPROVED, State.CLOSED})
# The plan's content (goals, support, review dates) may be changed by its writers: while it is
# written, and during the reviews (a new version for the employee to acknowledge). An agreed plan
# is first reopened ("继续修改计划"), so what the employee acknowledged stays as it was.
EDITABLE = frozenset({State.DRAFT, State.IN_REVIEW})
# Check-ins are recorded once the plan is agreed (the first one begins the reviews).
CHECKABLE = frozenset({State.AGREED, State.IN_REVIEW})


class SupportKind(models.TextChoices):
    TRAINING = "training", _("培训")
    COACHING = "coaching", _("辅导")
    RESOURCES = "resources", _("资源")
    OTHER = "other", _("其他支持")


class Progress(models.TextChoices):
    ON_TRACK = "on_track", _("进展顺利")
    SOME = "some", _("有进展")
    NEEDS_SUPPORT = "needs_support", _("需要更多支持")


class ImprovementPlan(TimeStamped):
    """One employee's improvement plan, from its draft to its outcome."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("为什么制定这份计划"))
    # What started it: "proposal:12" (a rule's proposal), "" by hand. Unique when not empty.
    source = models.CharField(_("来源"), max_length=64, blank=True, default="")
    results = models.ManyToManyField("cycles.Result", blank=True, related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    # The version of the plan's content the employee acknowledges: each change adds one.
    revision = models.PositiveIntegerField(_("计划版本"), default=1)
    started_on = models.DateField(_("开始日期"))
    outcome_note = models.TextField(_("结论说明"), blank=True)
    finished_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="improvementplan_source_unique"
            )
        ]
        indexes = [models.Index(fields=["state"], name="improvementplan_state")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """How people name it: IP-12."""
        return f"IP-{self.pk}"

    @property
    def link(self) -> str:
        return reverse("improvement:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE


class Goal(models.Model):
    """What the person aims for, how it is measured, by when."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("目标"))
    measure = models.TextField(_("衡量方式"))
    target_date = models.DateField(_("目标日期"))

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Support(models.Model):
    """What the company offers to help: training, coaching, resources."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="supports")
    kind = models.CharField(_("支持方式"), max_length=16, choices=SupportKind.choices)
    text = models.TextField(_("内容"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Review(models.Model):
    """A review date; answered by a check-in. Overdue when its date passed without one."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="reviews")
    due = models.DateField(_("复盘日期"))
    # Set by the daily reminder when the head was told it is overdue (once per review).
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}@{self.due}"


class CheckIn(models.Model):
    """A conversation on progress: its date, a note, how it goes; answers a review date or none."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="checkins")
    review = models.OneToOneField(
        Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkin"
    )
    day = models.DateField(_("日期"))
    note = models.TextField(_("记录"))
    progress = models.CharField(_("进展"), max_length=16, choices=Progress.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.day}"


class Comment(models.Model):
    """A remark on the plan by the employee or the people helping them."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("意见"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.pk}"


class Acknowledgement(models.Model):
    """The employee read and acknowledged one version of the plan (once per version)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="acknowledgements")
    revision = models.PositiveIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["revision"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "revision"], name="improvement_ack_once_per_revision")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}v{self.revision}"
