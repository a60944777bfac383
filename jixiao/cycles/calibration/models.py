"""Calibration moves (校准, §3): each grade the committee moved, with its reason.

Loaded through ``jixiao.cycles.models`` (the app's index): same app label, same table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalibrationMove(models.Model):
    """One grade moved by the committee in calibration (校准), with its reason; never edited."""

    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.CASCADE, related_name="calibration_moves")
    result = models.ForeignKey("cycles.Result", on_delete=models.CASCADE, related_name="calibration_moves")
    from_grade = models.CharField(_("原等级"), max_length=8)
    to_grade = models.CharField(_("调整后等级"), max_length=8)
    reason = models.TextField(_("调整原因"))
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.result_id}: {self.from_grade}→{self.to_grade}"
