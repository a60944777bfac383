"""The monthly report's tables: the report (a stored snapshot of the month's figures, with HR's
conclusion) and the corrections noted on it after publishing."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped

CONCLUSION_MAX = 5000
CORRECTION_MAX = 2000


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


# The figures may be generated again and the conclusion edited only while a draft.
EDITABLE = frozenset({State.DRAFT})
PUBLISHED = frozenset({State.PUBLISHED})


class MonthlyReport(TimeStamped):
    """The report of one month (YYYY-MM). ``snapshot`` holds every figure as JSON (rows tagged
    with their department, so a head's view is a filter of the same snapshot); published, it
    never changes again: later corrections are ``ReportCorrection`` rows."""

    month = models.CharField(_("月份"), max_length=7, unique=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    snapshot = models.JSONField(default=dict)
    conclusion = models.TextField(_("结论"), blank=True, max_length=CONCLUSION_MAX)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # The rendered workbook and PDF of the whole report are files under the data directory named
    # by the month and ``version`` (``files.py``): every change bumps the version, so a stored
    # file always shows the report as it is; a missing one is rendered on first download.

    class Meta:
        ordering = ["-month"]
        verbose_name = _("绩效考核月报")

    def __str__(self) -> str:
        return f"{self.month} 绩效考核月报"

    @property
    def is_draft(self) -> bool:
        return self.state in EDITABLE

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED


class ReportCorrection(models.Model):
    """A note added to a published report (更正说明): what was wrong and what is right. The
    report's snapshot stays as published."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(_("更正说明"), max_length=CORRECTION_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report.month} 更正 {self.pk}"
