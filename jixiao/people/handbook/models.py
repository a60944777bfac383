"""The policy handbook (制度 / 手册, issue 13 item 6, SPEC §7).

A policy page (制度) has numbered versions written in Markdown. HR writes a version as a draft
(a new version starts from the published text), submits it; the HR supervisor or the committee
leader, never its author, approves it (or returns it); HR publishes it, and the version it
replaces is kept as superseded. Everyone logged in reads a published page; drafts are read by HR
and the approvers. Each employee acknowledges each published version once (已阅知).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审批")
    APPROVED = "approved", _("已批准，待发布")
    PUBLISHED = "published", _("现行版本")
    SUPERSEDED = "superseded", _("已被新版本取代")
    DISCARDED = "discarded", _("已作废")


# Named state sets. IN_PROGRESS: the one version a page may have under way at a time.
# PUBLIC: read by everyone logged in (the current version and the ones it replaced).
IN_PROGRESS = frozenset({State.DRAFT, State.SUBMITTED, State.APPROVED})
PUBLIC = frozenset({State.PUBLISHED, State.SUPERSEDED})
# The employees who read and acknowledge the handbook: everyone who has not left
# (org.Employee.Status other than "left").
STILL_EMPLOYED = ("active", "probation", "leave")


class PolicyPage(TimeStamped):
    """One policy (制度) of the handbook; its text lives in its versions."""

    title = models.CharField(_("制度名称"), max_length=200)
    current = models.ForeignKey(
        "PolicyVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("现行版本"),
    )  # fmt: skip
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sort_order", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        return reverse("handbook:page", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.current_id is not None


class PolicyVersion(TimeStamped):
    """One numbered version of a policy page, from its draft to its publication."""

    page = models.ForeignKey(PolicyPage, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("制度名称"), max_length=200)
    body = models.TextField(_("正文（Markdown）"))
    change_note = models.TextField(_("修订说明"), blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("基于版本")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["page_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="policy_version_number")]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def link(self) -> str:
        return reverse("handbook:version", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC

    @property
    def is_current(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT


class PolicyAcknowledgement(models.Model):
    """An employee's acknowledgement (已阅知) of one published version: once per version."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="policy_acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.version_id}/{self.employee_id}"
