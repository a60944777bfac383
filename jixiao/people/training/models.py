"""Training on appraisal (培训, issue 13, SPEC §7): sessions on a framework version, their
materials, who is invited, who attended, and who acknowledged reading the material.

A session covers one version of the framework (``plans.Framework``): an employee is "trained on
the current framework" once they attended a held session on the version in force. A session goes
planned → held → closed (attendance final), or planned → cancelled with its reason
(``workflow.SESSION``). HR manages sessions; invitees read theirs and its materials.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class State(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已举办，待确认出勤")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


# Named state sets. OPEN: invitations and materials may still be added. COUNTS: attendance at a
# session in these states counts as trained. EDITABLE: the session's details may be changed.
OPEN = frozenset({State.PLANNED, State.HELD})
COUNTS = frozenset({State.HELD, State.CLOSED})
EDITABLE = OPEN
ATTENDANCE_OPEN = frozenset({State.HELD})

# How long each text may be (forms and services agree).
TOPIC_LENGTH = 200
TRAINER_LENGTH = 100
LOCATION_LENGTH = 200
DESCRIPTION_LENGTH = 2000
REASON_LENGTH = 2000


class TrainingSession(TimeStamped):
    """One training session (培训场次) on one framework version."""

    topic = models.CharField(_("培训主题"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    trainer = models.CharField(_("讲师"), max_length=100)
    online = models.BooleanField(_("线上培训"), default=False)
    location = models.CharField(_("地点或会议链接"), max_length=200, blank=True)
    framework = models.ForeignKey(
        "plans.Framework", verbose_name=_("考核总框架版本"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("内容简介"), blank=True)
    ask_acknowledgement = models.BooleanField(_("请受邀人确认已阅读资料"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PLANNED)
    cancel_reason = models.TextField(_("取消原因"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["framework", "state"], name="training_framework_state")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"

    @property
    def link(self) -> str:
        return reverse("training:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def takes_attendance(self) -> bool:
        return self.state in ATTENDANCE_OPEN

    @property
    def is_cancelled(self) -> bool:
        return self.state == State.CANCELLED


class TrainingMaterial(models.Model):
    """A file of a session (slides, handouts), stored under the data directory (common/files.py)
    and served only to the session's invitees, HR and the committee."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("文件名"), max_length=120)
    path = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class TrainingInvitation(TimeStamped):
    """One employee invited to one session; ``acknowledged_at`` once they confirm having read
    the material (once, audited)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="invitations")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    walk_in = models.BooleanField(_("未受邀到场"), default=False)  # added by an attendance record
    acknowledged_at = models.DateTimeField(_("确认已阅读"), null=True, blank=True)

    class Meta:
        ordering = ["session_id", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="training_invitation_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.employee_id}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class TrainingAttendance(TimeStamped):
    """Whether an invitee attended a session (entered on the page or imported)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("页面录入")
        IMPORT = "import", _("文件导入")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("出勤"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.ENTERED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["session_id", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="training_attendance_once")
        ]
        indexes = [models.Index(fields=["employee", "present"], name="training_attendance_person")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.employee_id}"
