"""What comes in while a cycle is open: KPI actuals (实际值), scores (评分) and declared conflicts
of interest (利益冲突). Numbers people enter are kept as exact decimal text (``"0.3"``, ``"97.5"``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.cycles.lifecycle.models import Cycle, CycleMember


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
