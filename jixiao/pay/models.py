"""Pay (薪酬, SPEC §4): pay structures, net profit and the annual bonus.

Money is integer fen (``BigIntegerField``) everywhere; rates are stored as the text of a
``Decimal`` (SQLite would store a DecimalField as REAL). Approved and released rows are never
edited: a correction is a new row that supersedes the old one, with its reason.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jixiao.common.errors import JixiaoError
from jixiao.common.models import TimeStamped


class PayStructure(TimeStamped):
    """Pay structure of a position (薪酬结构) from ``effective_from`` to ``effective_to``
    (inclusive; open-ended when empty): base salary + monthly bonus base + travel allowance
    per day, all in fen, and the role the position holds in its department's annual bonus."""

    position = models.ForeignKey(
        "org.Position", verbose_name=_("岗位"), on_delete=models.PROTECT, related_name="pay_structures"
    )
    base_salary = models.BigIntegerField(_("基本工资（分）"))
    monthly_bonus_base = models.BigIntegerField(_("月度奖金基数（分）"))
    travel_per_day = models.BigIntegerField(_("出差补贴每天（分）"))
    annual_bonus_role = models.CharField(_("年度奖金角色"), max_length=64, blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)

    class Meta:
        ordering = ["position__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["position", "effective_from"], name="pay_structure_one_per_day"),
            models.CheckConstraint(
                condition=Q(base_salary__gte=0) & Q(monthly_bonus_base__gte=0) & Q(travel_per_day__gte=0),
                name="pay_structure_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position_id} · {self.effective_from}"


class NetProfit(TimeStamped):
    """A calendar year's net profit (净利润): entered by finance, approved by the committee
    leader, immutable once approved. A correction is a new row that ``supersedes`` the
    approved one and states its ``reason``; approving it marks the old row superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已审批")
        SUPERSEDED = "superseded", _("已被更正")

    year = models.PositiveIntegerField(_("年度"))
    amount_fen = models.BigIntegerField(_("净利润（分）"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.TextField(_("更正原因"), blank=True)

    FROZEN = (
        "year",
        "amount_fen",
        "entered_by_id",
        "approved_by_id",
        "approved_at",
        "supersedes_id",
        "reason",
    )

    class Meta:
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="approved"), name="pay_netprofit_one_approved_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_status_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse any change to an approved row except being marked superseded."""
        if self.pk:
            old = NetProfit.objects.filter(pk=self.pk).first()
            if old is not None and old.status in (self.Status.APPROVED, self.Status.SUPERSEDED):
                changed = [f for f in self.FROZEN if getattr(old, f) != getattr(self, f)]
                moved = old.status != self.status and self.status != self.Status.SUPERSEDED
                if changed or moved:
                    raise JixiaoError(
                        zh="已审批的净利润不能修改，请录入更正并说明原因。",
                        en="An approved net profit cannot be changed; enter a correction with its reason.",
                        code="immutable",
                        status=409,
                    )
        super().save(*args, **kwargs)


class AnnualBonusRun(TimeStamped):
    """One computation of a department's annual bonus (年度奖金) for a year: which approved
    profit and which pay plan version (and its state at the time) the figures come from."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("已计算")
        RELEASED = "released", _("已发布")
        SUPERSEDED = "superseded", _("已被重算")

    year = models.PositiveIntegerField(_("年度"))
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    net_profit = models.ForeignKey(NetProfit, on_delete=models.PROTECT, related_name="runs")
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


class AnnualBonusLine(models.Model):
    """One person's annual bonus in a run: the role's full-year bonus, the months eligible
    and the prorated ``amount_fen`` actually paid; ``trace`` holds the steps as text."""

    run = models.ForeignKey(AnnualBonusRun, on_delete=models.CASCADE, related_name="lines")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="annual_bonus_lines")
    role = models.CharField(_("年度奖金角色"), max_length=64)
    rate = models.CharField(_("比率"), max_length=32)
    full_fen = models.BigIntegerField(_("全年奖金（分）"))
    months_eligible = models.PositiveSmallIntegerField(_("在职月数"))
    proration = models.CharField(_("折算"), max_length=16)
    amount_fen = models.BigIntegerField(_("应发奖金（分）"))
    trace = models.JSONField(default=list)

    class Meta:
        ordering = ["run_id", "employee__number"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="pay_line_one_per_person")]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.employee_id}"


from .monthly_models import (  # noqa: E402 (monthly pay lives in its own module, same app)
    DepartmentCompletion,
    MonthlyPayLine,
    MonthlyPayRun,
    PayAdjustment,
    Sanction,
    TravelDays,
)

__all__ = [
    "AnnualBonusLine",
    "AnnualBonusRun",
    "DepartmentCompletion",
    "MonthlyPayLine",
    "MonthlyPayRun",
    "NetProfit",
    "PayAdjustment",
    "PayStructure",
    "Sanction",
    "TravelDays",
]
