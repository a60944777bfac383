"""A member's result (考核结果) in integer milli-points. A result keeps the inputs it was computed
from and the engine version, so its calculation trace (计算过程) is reproduced by running the same
engine again, never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.cycles.lifecycle.models import Cycle, CycleMember


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
    # 1 when scoring closed; each recheck (复核) keeps the figures it replaces as a ResultVersion
    # and adds one. db_default: closing scoring inserts rows with raw SQL naming COLUMNS only.
    revision = models.PositiveIntegerField(_("版本"), default=1, db_default=1)

    class Meta:
        ordering = ["rank_company", "member_id"]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.total_milli}"

    @property
    def total_display(self) -> str:
        """The total in points, exact (milli-points are integers; shown to 0.01)."""
        return f"{self.total_milli // 1000}.{self.total_milli % 1000 // 10:02d}"


class ResultVersion(models.Model):
    """A superseded version of a result: the figures and inputs it had before a recheck (复核)
    replaced them, why (``reason``), on whose case (``source``, e.g. ``appeal:12``) and by whom.
    ``number`` is the result's revision these figures were."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    # {"total_milli", "weighted_milli", "bonus_milli", "deduction_milli", "grade", "engine_grade",
    #  "coefficient", "rank_department", "rank_company", "vetoes", "grade_capped", "bonus_void",
    #  "missing", "contributions", "engine_version"}
    figures = models.JSONField()
    inputs = models.JSONField()
    reason = models.TextField(_("原因"))
    source = models.CharField(_("来源"), max_length=64)
    replaced_at = models.DateTimeField()
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system actor (a command)

    class Meta:
        ordering = ["result_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["result", "number"], name="cycles_result_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.result_id} v{self.number}"

    @property
    def total_milli(self) -> int:
        return int(self.figures.get("total_milli", 0))

    @property
    def total_display(self) -> str:
        total = self.total_milli
        return f"{total // 1000}.{total % 1000 // 10:02d}"

    @property
    def grade(self) -> str:
        return str(self.figures.get("grade", ""))
