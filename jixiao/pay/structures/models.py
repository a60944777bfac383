"""Pay structures and net profit (薪酬结构、净利润, SPEC §4).

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
            if old is not None and old.status in PROFIT_FROZEN:
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


# Named state sets: an approved or superseded figure is frozen; a draft is edited in place.
PROFIT_FROZEN = frozenset({NetProfit.Status.APPROVED, NetProfit.Status.SUPERSEDED})
PROFIT_OPEN = frozenset({NetProfit.Status.DRAFT})
