"""Monthly pay (月度薪酬, SPEC §4, §7): travel days, department work completion, sanctions,
pay adjustments and the monthly pay run with its lines.

A month is its label ``YYYY-MM`` (the label of its monthly cycle). Money is integer fen,
rates and days are the exact text of a ``Decimal``. A released run is never edited; what is
wrong with it is put right by a :class:`PayAdjustment` with its reason, paid in a later month.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jixiao.common.errors import JixiaoError
from jixiao.common.models import TimeStamped
from jixiao.engine.trace import Trace

from .calculation import line_trace


def _immutable() -> JixiaoError:
    return JixiaoError(
        zh="已发放的薪酬不能修改，请录入更正调整并说明原因。",
        en="Released pay cannot be changed; record an adjustment with its reason.",
        code="immutable",
        status=409,
    )


class TravelDays(TimeStamped):
    """Days of business travel (出差天数) of one person in one month; half days allowed."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("手工录入")
        IMPORT = "import", _("导入")

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="travel_days")
    month = models.CharField(_("月份"), max_length=7)
    days = models.CharField(_("出差天数"), max_length=8)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["month", "employee__number"]
        constraints = [models.UniqueConstraint(fields=["employee", "month"], name="pay_travel_one_per_month")]

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.month} · {self.days}"


class DepartmentCompletion(TimeStamped):
    """A department's work completion (工作完成情况) for a month, as a fraction (``0.95``),
    recorded by the committee or HR. Frozen once that month's pay is released: a change is
    then refused, and the pay is put right by adjustments."""

    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("月份"), max_length=7)
    rate = models.CharField(_("完成率"), max_length=16)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system actor (a command)

    class Meta:
        ordering = ["-month", "department__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"], name="pay_completion_one_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.department_id} · {self.month} · {self.rate}"


class Sanction(TimeStamped):
    """A reward or penalty (奖惩, §7) with money, paid in ``month``. Proposed by HR or the
    committee (or by a rule, ``origin="rule"``, from an approved proposal named in ``source``),
    approved by the HR supervisor or the committee leader — never by its proposer nor by the
    person it concerns."""

    class Kind(models.TextChoices):
        REWARD = "reward", _("奖励")
        PENALTY = "penalty", _("处罚")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("手工")
        RULE = "rule", _("规则生成")

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="sanctions")
    month = models.CharField(_("计入月份"), max_length=7)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    reason = models.TextField(_("事由"))
    origin = models.CharField(_("来源"), max_length=8, choices=Origin.choices, default=Origin.MANUAL)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system actor (a command)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # where it comes from, e.g. "proposal:12" (a rule's approved proposal); empty when entered by
    # hand. One sanction per source, so an approved proposal is paid exactly once.
    source = models.CharField(_("来源"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="pay_sanction_positive"),
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="pay_sanction_one_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.month} · {self.kind}"

    @property
    def counts(self) -> bool:
        """Whether the sanction flows into its month's pay (it is approved)."""
        return self.status in SANCTION_COUNTS

    @property
    def signed_fen(self) -> int:
        return self.amount_fen if self.kind == self.Kind.REWARD else -self.amount_fen


SANCTION_COUNTS = frozenset({Sanction.Status.APPROVED})


class MonthlyPayRun(TimeStamped):
    """One computation of a month's pay from that month's locked cycle. ``budget`` holds the
    check of each department's monthly bonus against its pool (see ``calculation.py``)."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("已计算")
        RELEASED = "released", _("已发放")
        SUPERSEDED = "superseded", _("已被重算")

    month = models.CharField(_("月份"), max_length=7)
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.COMPUTED)
    total_fen = models.BigIntegerField(_("公司合计（分）"))
    budget = models.JSONField(default=list)  # [{department, name, pool_fen, bonus_fen, over_fen}]
    over_budget_fen = models.BigIntegerField(_("超出奖金池（分）"), default=0)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system actor (a command)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    over_budget_reason = models.TextField(_("超预算发放原因"), blank=True)
    notes = models.JSONField(default=list)

    class Meta:
        ordering = ["-month", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(status="released"), name="pay_monthly_one_released"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month} · {self.get_status_display()}"

    @property
    def is_released(self) -> bool:
        return self.status in RUN_RELEASED

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to a released run: corrections are adjustments."""
        if self.pk and MonthlyPayRun.objects.filter(pk=self.pk, status__in=RUN_RELEASED).exists():
            raise _immutable()
        super().save(*args, **kwargs)


# Named state sets: a released run is paid and frozen; a current run is the month's latest.
RUN_RELEASED = frozenset({MonthlyPayRun.Status.RELEASED})
RUN_CURRENT = frozenset({MonthlyPayRun.Status.COMPUTED, MonthlyPayRun.Status.RELEASED})


class MonthlyPayLine(models.Model):
    """One person's pay in a monthly run, item by item in fen; ``total_fen`` is their sum.
    ``inputs`` (JSON) and ``engine_version`` keep what the line was computed from; :attr:`trace`
    re-derives the steps from them on demand."""

    run = models.ForeignKey(MonthlyPayRun, on_delete=models.CASCADE, related_name="lines")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="monthly_pay_lines")
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey("org.Position", on_delete=models.PROTECT, related_name="+")
    base_salary_fen = models.BigIntegerField(_("基本工资（分）"))
    monthly_bonus_fen = models.BigIntegerField(_("月度奖金（分）"))
    travel_fen = models.BigIntegerField(_("出差补贴（分）"))
    reward_fen = models.BigIntegerField(_("奖励（分）"), default=0)
    penalty_fen = models.BigIntegerField(_("处罚（分）"), default=0)
    adjustment_fen = models.BigIntegerField(_("调整（分）"), default=0)
    total_fen = models.BigIntegerField(_("应发合计（分）"))
    completion = models.CharField(_("完成率"), max_length=16)
    coefficient = models.CharField(_("系数"), max_length=16)
    travel_days = models.CharField(_("出差天数"), max_length=8)
    inputs = models.JSONField(default=dict)
    engine_version = models.CharField(max_length=16, blank=True)

    ITEMS = (
        "base_salary_fen",
        "monthly_bonus_fen",
        "travel_fen",
        "reward_fen",
        "penalty_fen",
        "adjustment_fen",
    )

    class Meta:
        ordering = ["run_id", "department__sort_order", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="pay_monthly_line_one_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.employee_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if MonthlyPayRun.objects.filter(pk=self.run_id, status__in=RUN_RELEASED).exists():
            raise _immutable()
        super().save(*args, **kwargs)

    @property
    def trace(self) -> Trace:
        """The calculation trace, re-derived by the engine from the stored inputs."""
        return line_trace(self.inputs)


class PayAdjustment(models.Model):
    """A correction of released pay (薪酬调整): an amount in fen (negative takes back), its
    reason, the released run it corrects, and the month whose run pays it."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="pay_adjustments")
    corrects = models.ForeignKey(MonthlyPayRun, on_delete=models.PROTECT, related_name="adjustments")
    month = models.CharField(_("计入月份"), max_length=7)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    reason = models.TextField(_("原因"))
    # where the correction comes from, e.g. "appeal:12" (a recheck); empty when entered by hand
    source = models.CharField(_("来源"), max_length=64, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system actor (a command)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(amount_fen=0), name="pay_adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.employee_id} · {self.month} · {self.amount_fen}"
