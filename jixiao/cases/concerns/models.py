"""Complaints (投诉) and allegations (举报) (issue 12 item 3, SPEC §6), handled by the deputy.

A complaint is about the appraisal process (a head who never held the interview); an allegation
is about misconduct (favouritism, falsified data) by a named person. The deputy handles both;
the leader when the case names the deputy (or when every deputy is in the named person's
reporting line). A case is filed, investigated with internal notes and replies to the reporter,
and closed with an outcome and a closing note.

An anonymous allegation is filed without logging in: no user, no address, no browser is stored
with it; only the hash of its follow-up code (跟进码), with which the reporter reads replies and
adds information. ``ConcernScreen`` lists who may never see the case (the person it names, their
reporting line at filing, the raters of a result it names); the access rules also check the
named person's reporting line as it is now.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    ALLEGATION = "allegation", _("举报")


class State(models.TextChoices):
    FILED = "filed", _("待受理")
    INVESTIGATING = "investigating", _("调查中")
    CLOSED = "closed", _("已结案")


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("属实")
    PARTLY = "partly_substantiated", _("部分属实")
    NOT_SUBSTANTIATED = "not_substantiated", _("不属实")
    OUT_OF_SCOPE = "out_of_scope", _("不属于受理范围")


# Named sets of states: OPEN cases wait on their handler and take notes, replies and information.
OPEN = frozenset({State.FILED, State.INVESTIGATING})

DEPUTY = "committee_deputy"
LEADER = "committee_leader"
HANDLER_ROLES = (DEPUTY, LEADER)


class Concern(TimeStamped):
    """One complaint or allegation, from filing to its outcome."""

    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.FILED)
    anonymous = models.BooleanField(_("匿名"), default=False)
    # The reporter's login; None for an anonymous allegation (and nothing else about them either).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # sha256 of the follow-up code of an anonymous allegation (the code itself is never stored).
    code_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    subject = models.ForeignKey(
        "org.Employee",
        verbose_name=_("被投诉（举报）人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("考核周期"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.ForeignKey(
        "cycles.Result",
        verbose_name=_("考核结果"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("事实与理由"))
    handler_role = models.CharField(_("处理人"), max_length=24, default=DEPUTY)
    step_began = models.DateField(_("本环节开始日期"))
    outcome = models.CharField(_("结论"), max_length=24, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(_("结案说明"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # sha256 of the title, text and closing note: the audit log records this, not the words
    # (auditors and administrators read the log; an allegation may name one of them).
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "step_began"], name="concern_state_began")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """How people name it: CP-12 (a complaint) or AL-12 (an allegation)."""
        return f"{'AL' if self.kind == Kind.ALLEGATION else 'CP'}-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_allegation(self) -> bool:
        return self.kind == Kind.ALLEGATION

    def screened_ids(self) -> frozenset[int]:
        """The employees recorded at filing who may never see this case (cached on the row)."""
        cached: frozenset[int] | None = getattr(self, "_screened_ids", None)
        if cached is None:
            rows = ConcernScreen.objects.filter(concern_id=self.pk).values_list("employee_id", flat=True)
            cached = frozenset(rows) if self.pk else frozenset()
            self._screened_ids = cached
        return cached


class ConcernScreen(models.Model):
    """One employee who may never see the case: the person it names, their manager chain and the
    heads of their department and its parents at filing, the raters of a result it names."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="screen")
    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "employee"], name="concern_screen_once")]

    def __str__(self) -> str:
        return f"{self.concern_id}/{self.employee_id}"


class NoteKind(models.TextChoices):
    INTERNAL = "internal_note", _("内部记录")
    REPLY = "reply_to_reporter", _("答复提出人")
    INFO = "reporter_info", _("提出人补充")


# The notes the reporter reads (the handler reads all of them).
FOR_REPORTER = frozenset({NoteKind.REPLY, NoteKind.INFO})


class ConcernNote(models.Model):
    """A note of the investigation (internal), a reply to the reporter, or information the
    reporter added. ``author`` is None for information added by an anonymous reporter."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("类型"), max_length=20, choices=NoteKind.choices)
    text = models.TextField(_("内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.concern_id}#{self.pk}"

    @property
    def for_reporter(self) -> bool:
        return self.kind in FOR_REPORTER


class ConcernFile(models.Model):
    """An evidence file, stored under the data directory (common/files.py): filed with the case,
    added with information by the reporter, or attached to a note or reply by the handler."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="files")
    note = models.ForeignKey(
        ConcernNote, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("文件名"), max_length=120)
    path = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def for_reporter(self) -> bool:
        """Filed with the case, or with a note the reporter reads."""
        return self.note_id is None or (self.note is not None and self.note.for_reporter)


class LinkKind(models.TextChoices):
    FLAG = "integrity_flag", _("公正检查提示")
    RESULT = "appraisal_result", _("考核结果")


class ConcernLink(models.Model):
    """What the handler linked the case to: an integrity flag of a cycle (kept as a reference,
    cycle + flag kind + its text, since flags are computed, not stored) or a result."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("类型"), max_length=20, choices=LinkKind.choices)
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    result = models.ForeignKey(
        "cycles.Result", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    flag_kind = models.CharField(_("提示类型"), max_length=24, blank=True)
    text = models.CharField(_("说明"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.concern_id}→{self.kind}"
