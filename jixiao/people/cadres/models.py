"""Cadre review and promotion (干部考核 / 职务晋升, issue 13, SPEC §7).

HR sets the conditions for each target position level (:class:`EligibilityRule`); the engine
(``jixiao.engine.eligibility``) checks every candidate against them from their released results,
their time in post and open improvement plans. A department head nominates someone of their
department for a target position (:class:`Nomination`); each committee member scores the nominee
(:class:`Evaluation`) unless they declared a conflict (:class:`NominationConflict`) or are in the
nominee's reporting line; the leader approves — recording the change of post from its effective
date (``org.PositionChange``), which the monthly pay follows — or rejects. The committee rates each
cadre's potential per year (:class:`PotentialRating`) for the nine-box grid (九宫格).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.engine import eligibility as engine
from jixiao.engine.text import Text


class CycleKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class EligibilityRule(TimeStamped):
    """The conditions for promotion to a position of ``level`` (任职条件), set by HR."""

    level = models.PositiveSmallIntegerField(_("目标职级"), unique=True)
    cycle_kind = models.CharField(_("考核周期类型"), max_length=8, choices=CycleKind.choices)
    cycle_count = models.PositiveSmallIntegerField(_("最近几个周期"))
    min_grade = models.CharField(_("最低等级"), max_length=8)
    min_months_in_post = models.PositiveSmallIntegerField(_("任现职至少（月）"), default=0)
    no_veto = models.BooleanField(_("期间无一票否决"), default=True)
    no_open_plan = models.BooleanField(_("无进行中的绩效改进计划"), default=True)
    note = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["level"]

    def __str__(self) -> str:
        return f"L{self.level}"

    def as_engine(self) -> engine.Rule:
        return engine.Rule(
            cycle_kind=self.cycle_kind,
            cycle_count=self.cycle_count,
            min_grade=self.min_grade,
            min_months_in_post=self.min_months_in_post,
            no_veto=self.no_veto,
            no_open_plan=self.no_open_plan,
        )


class State(models.TextChoices):
    EVALUATING = "evaluating", _("考核小组评议中")
    EVALUATED = "evaluated", _("待组长审批")
    APPROVED = "approved", _("已批准晋升")
    REJECTED = "rejected", _("未获批准")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN = frozenset({State.EVALUATING, State.EVALUATED})
# Decided: the nominee learns the outcome (never the evaluations).
DECIDED = frozenset({State.APPROVED, State.REJECTED})

# The evaluation's criteria (德能勤绩廉), each scored 0..its points; the total is out of 100.
CRITERIA: tuple[tuple[str, Text, int], ...] = (
    ("integrity", Text("德（品德与作风）", "Integrity and conduct"), 20),
    ("ability", Text("能（业务与管理能力）", "Ability"), 20),
    ("diligence", Text("勤（勤勉与担当）", "Diligence"), 20),
    ("performance", Text("绩（工作业绩）", "Performance"), 20),
    ("probity", Text("廉（廉洁自律）", "Probity"), 20),
)
MAX_TOTAL = sum(points for _key, _label, points in CRITERIA)


class Nomination(TimeStamped):
    """A head's nomination of a person of their department for a target position (提名)."""

    nominee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        "org.Position", verbose_name=_("拟任岗位"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    nominator = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("提名理由"))
    eligible = models.BooleanField(_("提名时符合任职条件"))
    override_reason = models.TextField(_("不符合条件仍提名的理由"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.EVALUATING)
    # Employees who may not score it: the nominee, their reporting line, the nominator (kept by the
    # services); users who declared a conflict; whether every leader is barred (the deputy decides).
    barred = models.JSONField(default=list, blank=True)
    conflicted = models.JSONField(default=list, blank=True)
    leader_barred = models.BooleanField(default=False)
    effective = models.DateField(_("生效日期"), null=True, blank=True)
    over_quota = models.BooleanField(_("超编"), default=False)
    quota_reason = models.TextField(_("超编理由"), blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    position_change = models.ForeignKey(
        "org.PositionChange", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """How people name it: NM-12."""
        return f"NM-{self.pk}"

    @property
    def link(self) -> str:
        return reverse("cadres:nomination", args=[self.pk])

    @property
    def source(self) -> str:
        """How the position change names it."""
        return f"nomination:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_decided(self) -> bool:
        return self.state in DECIDED

    @property
    def is_approved(self) -> bool:
        return self.state == State.APPROVED


class NominationConflict(models.Model):
    """A committee member's declared conflict of interest (回避声明) on one nomination: they may not
    score it, nor decide it."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("回避理由"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["nomination", "user"], name="cadres_conflict_once")]

    def __str__(self) -> str:
        return f"{self.nomination_id}/{self.user_id}"


class Evaluation(TimeStamped):
    """One committee member's evaluation of a nominee: points per criterion and a comment. The
    nominee never sees it."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.JSONField(default=dict)  # {criterion key: points}
    total = models.PositiveSmallIntegerField(_("总分"))
    comment = models.TextField(_("评语"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "evaluator"], name="cadres_evaluation_once")
        ]

    def __str__(self) -> str:
        return f"{self.nomination_id}/{self.evaluator_id}"

    @property
    def rows(self) -> list[tuple[Text, int, int]]:
        """(criterion, points given, points possible) in the criteria's order, for the page."""
        return [(label, int(self.points.get(key, 0)), top) for key, label, top in CRITERIA]


class Potential(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class PotentialRating(TimeStamped):
    """The committee's rating of a cadre's potential for a year (潜力): seen by the committee and
    HR only — never by the person or their head."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("潜力"), max_length=8, choices=Potential.choices)
    reason = models.TextField(_("理由"))
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year", "employee_id"]
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="cadres_potential_once")]

    def __str__(self) -> str:
        return f"{self.employee_id}/{self.year}"
