"""Appraisal rules (§2): the company framework (考核总框架), department plans (考核细则),
HR's item comments (不合理项), committee meetings, and every submitted revision.

A framework or plan keeps its rules as one JSON document in the same shape as the TOML files
of ``docs/formats.md``; the engine reads it through ``jixiao.engine.toml_format``. One row is one
*version*; each submission inside a version is kept as a :class:`Revision` so that every round
of review stays readable with a diff against the one before.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待人力资源部评审")
    RETURNED = "returned", _("已退回修改")
    HR_PASSED = "hr_passed", _("待副组长审核")
    SCHEDULED = "scheduled", _("待考核小组会议")
    COMMITTEE_APPROVED = "committee_approved", _("待组长审批")
    PUBLISHED = "published", _("已发布")
    SUPERSEDED = "superseded", _("已被新版本取代")


# Named state sets: code and templates ask these (or the properties below), never a string test.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})  # the author may change the content
UNDER_REVIEW = frozenset({Status.SUBMITTED, Status.HR_PASSED, Status.SCHEDULED, Status.COMMITTEE_APPROVED})
RELEASED = frozenset({Status.PUBLISHED, Status.SUPERSEDED})  # decided; read by the whole department
COMMITTEE_STAGE = frozenset({Status.SCHEDULED})  # waiting for the committee meeting's decision


class CommitteeMeeting(TimeStamped):
    """A meeting of the appraisal committee (考核领导小组会议) that decided on frameworks and plans."""

    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    attendees = models.ManyToManyField("org.Employee", verbose_name=_("出席人员"), related_name="meetings")
    decision = models.TextField(_("会议决定"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class ReviewedDocument(TimeStamped):
    """What frameworks and plans share: versioned content that goes through the approval chain."""

    code = models.CharField(_("编码"), max_length=64)
    name = models.CharField(_("名称"), max_length=200)
    number = models.PositiveIntegerField(_("版本号"), default=1)
    status = models.CharField(_("状态"), max_length=24, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(_("内容"), default=dict)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    effective_from = models.CharField(_("生效周期"), max_length=7, blank=True, help_text="YYYY-MM")
    meeting = models.ForeignKey(
        CommitteeMeeting,
        verbose_name=_("审议会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_released(self) -> bool:
        return self.status in RELEASED

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_returned(self) -> bool:
        return self.status == Status.RETURNED

    @property
    def is_in_hr_review(self) -> bool:
        return self.status == Status.SUBMITTED


class Framework(ReviewedDocument):
    """The company framework (考核总框架), drafted by HR; one row per version."""

    class Meta:
        ordering = ["code", "-number"]
        constraints = [models.UniqueConstraint(fields=["code", "number"], name="plans_framework_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class Plan(ReviewedDocument):
    """A department plan (考核细则) under one framework version, for the whole department or
    for the named positions; one row per version.

    ``kind`` ``pay`` holds the department's pay rules instead (薪酬标准: structures, the monthly
    bonus formula, the annual bonus tiers, the ``[pay]`` table of ``docs/formats.md``); it goes
    through the same review chain and is linted by the bonus-plan checks.
    """

    class Kind(models.TextChoices):
        APPRAISAL = "appraisal", _("考核细则")
        PAY = "pay", _("薪酬与奖金方案")

    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="plans"
    )
    positions = models.ManyToManyField(
        "org.Position",
        verbose_name=_("适用岗位"),
        blank=True,
        related_name="plans",
        help_text=_("留空表示全部门"),
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("考核总框架"), on_delete=models.PROTECT, related_name="plans"
    )
    kind = models.CharField(_("方案类型"), max_length=16, choices=Kind.choices, default=Kind.APPRAISAL)

    class Meta:
        ordering = ["department__sort_order", "code", "-number"]
        constraints = [models.UniqueConstraint(fields=["code", "number"], name="plans_plan_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def is_pay(self) -> bool:
        return self.kind == self.Kind.PAY

    @property
    def is_appraisal(self) -> bool:
        return self.kind == self.Kind.APPRAISAL


class Revision(models.Model):
    """The content of a framework or plan as it was submitted in one round of review."""

    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    round = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round"]

    def __str__(self) -> str:
        return f"round {self.round}"


class ReviewComment(models.Model):
    """An item HR marks as unreasonable (不合理项), and the author's answer to it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    round = models.PositiveIntegerField()
    indicator_key = models.CharField(
        _("指标"), max_length=64, blank=True, help_text=_("留空表示针对整个方案")
    )
    text = models.TextField(_("意见"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.indicator_key or '*'}: {self.text[:30]}"
