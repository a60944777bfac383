"""Annual bonus runs (年度奖金, SPEC §4): one computation of a department's bonus for a year
and its lines, one per person. A released run is never edited; a recomputation supersedes it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.engine.trace import Trace

from .calculation import line_trace


class AnnualBonusRun(TimeStamped):
    """One computation of a department's annual bonus (年度奖金) for a year: which approved
    profit and which pay plan version (and its state at the time) the figures come from."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("已计算")
        RELEASED = "released", _("已发布")
        SUPERSEDED = "superseded", _("已被重算")

    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    net_profit = models.ForeignKey("pay.NetProfit", on_delete=models.PROTECT, related_name="runs")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    plan_number = models.PositiveIntegerField(_("方案版本"))
    plan_status = models.CharField(_("方案状态"), max_length=24)
    mode = models.CharField(_("计算模式"), max_length=16)
    tier = models.IntegerField(_("档位"), null=True, blank=True)
    total_fen = models.BigIntegerField(_("部门合计（分）"))
    stated_fen = models.BigIntegerField(_("方案所述部门总计（分）"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.COMPUTED)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    notes = models.JSONField(default=list)

    class Meta:
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.year} · {self.department_id}"

    @property
    def is_released(self) -> bool:
        return self.status in RUN_RELEASED


# Named state sets: a released run is seen by its people and never edited; a current run is
# the year's latest for its department (a recomputation supersedes it).
RUN_RELEASED = frozenset({AnnualBonusRun.Status.RELEASED})
RUN_CURRENT = frozenset({AnnualBonusRun.Status.COMPUTED, AnnualBonusRun.Status.RELEASED})


class AnnualBonusLine(models.Model):
    """One person's annual bonus in a run: the role's full-year bonus, the months eligible
    and the prorated ``amount_fen`` actually paid. ``inputs`` (JSON) and ``engine_version`` keep
    what the line was computed from; :attr:`trace` re-derives the steps from them on demand."""

    run = models.ForeignKey(AnnualBonusRun, on_delete=models.CASCADE, related_name="lines")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="annual_bonus_lines")
    role = models.CharField(_("年度奖金角色"), max_length=64)
    rate = models.CharField(_("比率"), max_length=32)
    full_fen = models.BigIntegerField(_("全年奖金（分）"))
    months_eligible = models.PositiveSmallIntegerField(_("在职月数"))
    proration = models.CharField(_("折算"), max_length=16)
    amount_fen = models.BigIntegerField(_("应发奖金（分）"))
    inputs = models.JSONField(default=dict)
    engine_version = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["run_id", "employee__number"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="pay_line_one_per_person")]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.employee_id}"

    @property
    def trace(self) -> Trace:
        """The calculation trace, re-derived by the engine from the stored inputs."""
        return line_trace(self.inputs)
