"""The cycle itself (§3, 考核周期): its state, the rules snapshot it runs on and who is appraised."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class State(models.TextChoices):
    PLANNING = "planning", _("筹备中")
    OPEN = "open", _("数据录入与评分中")
    SCORING_CLOSED = "scoring_closed", _("评分已截止")
    SUMMARIES_SUBMITTED = "summaries_submitted", _("部门汇总已提交")
    HR_CHECKED = "hr_checked", _("人力资源部已核对")
    VERIFIED = "verified", _("考核小组已核实")
    PUBLISHED = "published", _("已公布（申诉期）")
    LOCKED = "locked", _("已锁定")


# Named sets of states (used by code and, through the Cycle properties, by templates).
# Scores, actuals, self-assessments and conflict declarations are accepted only while open.
WRITABLE = frozenset({State.OPEN})
# Results are published (appeal window) or locked: employees see their own.
RELEASED = frozenset({State.PUBLISHED, State.LOCKED})
# Scoring can be closed (or, once closed, recomputed) by a background job.
CLOSABLE = frozenset({State.OPEN, State.SCORING_CLOSED})
# Results exist (computed when scoring closes) from here on.
COMPUTED = frozenset(
    {
        State.SCORING_CLOSED,
        State.SUMMARIES_SUBMITTED,
        State.HR_CHECKED,
        State.VERIFIED,
        State.PUBLISHED,
        State.LOCKED,
    }
)


class RankRelease(models.TextChoices):
    """How much of their rank an employee sees; nobody sees a public list of everyone's rank."""

    HIDDEN = "hidden", _("不显示排名")
    BAND = "band", _("只显示所在区间（如前 20%）")
    DEPARTMENT = "department", _("显示部门排名")
    COMPANY = "company", _("显示部门与公司排名")


class Cycle(TimeStamped):
    """One month, quarter or year of appraisal (考核周期) for the chosen departments."""

    class Kind(models.TextChoices):
        MONTH = "month", _("月度")
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("年度")

    label = models.CharField(_("周期"), max_length=16, unique=True, help_text="2026-10, 2026-Q4, 2026")
    kind = models.CharField(_("周期类型"), max_length=8, choices=Kind.choices, default=Kind.MONTH)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=24, choices=State.choices, default=State.PLANNING)
    departments = models.ManyToManyField(
        "org.Department", verbose_name=_("参加部门"), related_name="cycles", blank=True
    )
    # {stage state: "YYYY-MM-DD"}: the day by which the cycle should leave that state.
    deadlines = models.JSONField(_("各阶段截止日期"), default=dict, blank=True)
    engine_version = models.CharField(max_length=16, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # Release (结果开通): what an employee is shown of their own result once it is published.
    release_score = models.BooleanField(_("公布总分"), default=True)
    release_grade = models.BooleanField(_("公布等级"), default=True)
    release_rank = models.CharField(
        _("公布排名"), max_length=12, choices=RankRelease.choices, default=RankRelease.BAND
    )

    class Meta:
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.state in WRITABLE

    @property
    def is_released(self) -> bool:
        return self.state in RELEASED

    @property
    def is_closable(self) -> bool:
        return self.state in CLOSABLE

    @property
    def is_computed(self) -> bool:
        return self.state in COMPUTED


class CyclePlan(models.Model):
    """The rules a cycle runs on: one published plan and its framework, copied at open time.

    Members point here rather than each carrying a copy, so 100,000 members under one plan
    hold one snapshot; later edits of the plan never reach a running cycle.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="plans")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    plan_number = models.PositiveIntegerField()
    plan_content = models.JSONField()  # the [plan] table, as the engine reads it
    framework = models.ForeignKey("plans.Framework", on_delete=models.PROTECT, related_name="+")
    framework_number = models.PositiveIntegerField()
    framework_content = models.JSONField()  # the [framework] table

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "plan"], name="cycles_plan_once")]

    def __str__(self) -> str:
        return f"{self.cycle} {self.plan_content.get('name_zh', '')} v{self.plan_number}"


class CycleMember(models.Model):
    """One employee appraised in a cycle, under a snapshot of their plan (organisation as at open)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="members")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="cycle_members")
    snapshot = models.ForeignKey(CyclePlan, on_delete=models.PROTECT, related_name="members")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(
        "org.Position", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    manager = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    self_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["department_id", "employee__number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "employee"], name="cycles_member_once")]

    def __str__(self) -> str:
        return f"{self.cycle_id}:{self.employee_id}"


class CycleHold(models.Model):
    """Something that keeps a cycle from locking (e.g. an open appeal, ``source="appeal:12"``),
    with the sentence that names it. Placed and released by ``holds.py``; one per (cycle, source)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="holds")
    source = models.CharField(_("来源"), max_length=64)
    reason_zh = models.CharField(max_length=200)
    reason_en = models.CharField(max_length=300)
    placed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle_id", "placed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["cycle", "source"], name="cycles_hold_once")]

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.source}"
