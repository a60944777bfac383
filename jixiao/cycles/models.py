"""Appraisal cycles (§3, 考核周期): who is appraised under which snapshot of the rules, the KPI
actuals (实际值) and scores (评分) that come in, and the results the engine computes.

Numbers people enter are kept as exact decimal text (``"0.3"``, ``"97.5"``); results are integer
milli-points. A result keeps the inputs it was computed from and the engine version, so its
calculation trace (计算过程) is reproduced by running the same engine again, never stored.
"""

from __future__ import annotations

from django.conf import settings
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
        return self.state == State.OPEN


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


class Actual(TimeStamped):
    """A KPI actual (实际值) or event count for one member and measure, as exact decimal text."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工录入")
        IMPORT = "import", _("导入")
        API = "api", _("接口")

    member = models.ForeignKey(CycleMember, on_delete=models.CASCADE, related_name="actuals")
    measure_key = models.CharField(_("数据项"), max_length=64)
    value = models.CharField(_("实际值"), max_length=40)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "measure_key"], name="cycles_actual_once")]

    def __str__(self) -> str:
        return f"{self.measure_key}={self.value}"


class Rater(models.TextChoices):
    SELF = "self", _("自评")
    MANAGER = "manager", _("上级评分")
    PEER = "peer", _("互评")
    COMMITTEE = "committee", _("小组评分")


class Score(TimeStamped):
    """One rater's value (评分) for one indicator of one member: a rubric level key or points."""

    member = models.ForeignKey(CycleMember, on_delete=models.CASCADE, related_name="scores")
    indicator_key = models.CharField(_("指标"), max_length=64)
    rater_kind = models.CharField(_("评分人类型"), max_length=12, choices=Rater.choices)
    rater = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("评分"), max_length=40)
    comment = models.TextField(_("评语"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "indicator_key", "rater_kind", "rater"], name="cycles_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_key}/{self.rater_kind}={self.value}"


class Result(models.Model):
    """A member's result (考核结果): totals in milli-points, the grade and ranks, and the inputs
    and engine version that reproduce its trace."""

    member = models.OneToOneField(CycleMember, on_delete=models.CASCADE, related_name="result")
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    total_milli = models.IntegerField()
    weighted_milli = models.IntegerField()
    bonus_milli = models.IntegerField()
    deduction_milli = models.IntegerField()
    grade = models.CharField(_("等级"), max_length=8)  # after calibration (校准)
    engine_grade = models.CharField(_("计算等级"), max_length=8, blank=True)  # as the engine gave it
    coefficient = models.CharField(_("系数"), max_length=16)
    rank_department = models.PositiveIntegerField(_("部门排名"))
    rank_company = models.PositiveIntegerField(_("公司排名"))
    vetoes = models.JSONField(default=list)
    grade_capped = models.BooleanField(default=False)
    bonus_void = models.BooleanField(default=False)
    missing = models.JSONField(default=list)
    contributions = models.JSONField(default=dict)  # {indicator key: milli-points or None}
    inputs = models.JSONField()  # {"measures": {key: text}, "ratings": [[indicator, rater, cell]]}
    engine_version = models.CharField(max_length=16)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["rank_company", "member_id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.total_milli}"

    @property
    def total_display(self) -> str:
        """The total in points, exact (milli-points are integers; shown to 0.01)."""
        return f"{self.total_milli // 1000}.{self.total_milli % 1000 // 10:02d}"


class ConflictDeclaration(models.Model):
    """A declared conflict of interest (利益冲突): the rater may not rate the ratee in the cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="conflicts")
    rater = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    ratee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("原因"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "rater", "ratee"], name="cycles_conflict_once")
        ]

    def __str__(self) -> str:
        return f"{self.rater_id}↛{self.ratee_id}"


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
