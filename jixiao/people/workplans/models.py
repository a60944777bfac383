"""Appraisal work plans (工作计划, issue 13 item 5, SPEC §7).

The HR supervisor keeps annual, quarterly and monthly plans of the appraisal work itself
(工作规划与计划): each plan lists work items (a task, its owner, a due date, a status) linked to
the cycles and training sessions they concern. HR writes a plan as a draft; the HR supervisor or
the committee leader (never its author) approves it; its owners then carry their items out
(planned → in progress → done, or dropped with a reason); HR closes the plan once every item is
done or dropped. The committee reads every plan; an owner reads their own items.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jixiao.common.models import TimeStamped


class Kind(models.TextChoices):
    YEAR = "year", _("年度")
    QUARTER = "quarter", _("季度")
    MONTH = "month", _("月度")


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准，执行中")
    CLOSED = "closed", _("已关闭")


class ItemState(models.TextChoices):
    PLANNED = "planned", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    DONE = "done", _("已完成")
    DROPPED = "dropped", _("已放弃")


# Named state sets. RUNNING: items are carried out (their status moves). VISIBLE_TO_OWNERS: an
# owner reads their items (a draft is HR's until approved). OPEN_ITEMS: still to be done (late
# once past their due date). SETTLED_ITEMS: a plan closes only when every item is one of these.
RUNNING = frozenset({State.APPROVED})
VISIBLE_TO_OWNERS = frozenset({State.APPROVED, State.CLOSED})
OPEN_ITEMS = frozenset({ItemState.PLANNED, ItemState.IN_PROGRESS})
SETTLED_ITEMS = frozenset({ItemState.DONE, ItemState.DROPPED})


def period_bounds(label: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a period label: ``2026``, ``2026-Q2`` or ``2026-05``."""
    year = int(label[:4])
    if len(label) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if label[5] == "Q":
        first_month = 3 * (int(label[6]) - 1) + 1
        last_month = first_month + 2
        return dt.date(year, first_month, 1), dt.date(
            year, last_month, calendar.monthrange(year, last_month)[1]
        )
    month = int(label[5:7])
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


class WorkPlan(TimeStamped):
    """One plan of the appraisal work for a year, a quarter or a month."""

    kind = models.CharField(_("计划类型"), max_length=8, choices=Kind.choices, default=Kind.YEAR)
    period = models.CharField(_("期间"), max_length=8, unique=True, help_text="2026, 2026-Q2, 2026-05")
    title = models.CharField(_("标题"), max_length=200)
    goals = models.TextField(_("目标与说明"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "-pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.title}"

    @property
    def link(self) -> str:
        return reverse("workplans:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        return period_bounds(self.period)


class WorkItem(TimeStamped):
    """One task of a work plan: who does it by when, its status, the cycles and training sessions
    it concerns (by id: ``cycle_ids`` name cycles; ``training_ids`` name training sessions)."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    task = models.CharField(_("工作事项"), max_length=300)
    detail = models.TextField(_("说明"), blank=True)
    owner = models.ForeignKey(
        "org.Employee",
        verbose_name=pgettext_lazy("work item owner", "负责人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due = models.DateField(_("完成期限"))
    state = models.CharField(_("状态"), max_length=12, choices=ItemState.choices, default=ItemState.PLANNED)
    drop_reason = models.TextField(_("放弃原因"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    cycle_ids = models.JSONField(_("关联的考核周期"), default=list, blank=True)
    training_ids = models.JSONField(_("关联的培训"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["plan_id", "due", "sort_order", "pk"]
        indexes = [models.Index(fields=["owner", "state"], name="workitem_owner_state")]

    def __str__(self) -> str:
        return self.task[:60]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ITEMS

    @property
    def is_overdue(self) -> bool:
        """Still to be done after its due date."""
        return self.is_open and self.due < timezone.localdate()

    @property
    def is_dropped(self) -> bool:
        return self.state == ItemState.DROPPED
