"""Background jobs (后台任务): one ``JobRun`` row per run, holding its state and progress.

The task queue (django-tasks) runs the work; this row is what people see: the progress bar
polls it, and it keeps the outcome (or the error, in Chinese and English) after the run.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.engine.text import Text


class JobRun(models.Model):
    """One run of a background job on one object (e.g. closing a cycle's scoring)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务"), max_length=48)
    target_type = models.CharField(max_length=64)  # "app_label.model" of the object worked on
    target_id = models.CharField(max_length=64)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(_("阶段"), max_length=16, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # the outcome or the error, in Chinese
    message_en = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the task queue's result id
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "kind"], name="jobs_run_target")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type}:{self.target_id} {self.state}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def text(self) -> Text:
        """The outcome or the error in both languages; pages render it with ``|say``."""
        return Text(self.message, self.message_en)

    @property
    def percent(self) -> int:
        """Whole percent done; the phases weigh reading 30 %, computing 30 %, storing 40 %."""
        if self.state == self.State.DONE:
            return 100
        start, width = PHASE_SPAN.get(self.phase, (0, 0))
        share = self.done / self.total if self.total else 0
        return min(99, int(start + width * share))


PHASE_SPAN = {"reading": (0, 30), "computing": (30, 30), "storing": (60, 40)}
