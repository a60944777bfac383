"""In-app notifications (通知, SPEC §6): one row per person and event, read or unread.

A notification carries a sentence in both languages and a link inside the app; it never carries
confidential figures (a score, a grade, pay): the link leads to the page, which checks access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jixiao.engine.text import Text


class Notification(models.Model):
    """Something that asks ``recipient`` to act or tells them an outcome."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)  # a code with a label in common.labels ("appeal.filed")
    text_zh = models.CharField(max_length=300)
    text_en = models.CharField(max_length=300)
    link = models.CharField(max_length=300)  # a path inside the app, e.g. /cases/appeals/12/
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # What makes a notification once-only, when it must be (an escalation: its link and due date).
    key = models.CharField(max_length=200, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.kind}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def text(self) -> Text:
        """The sentence in both languages; pages render it with ``|say``."""
        return Text(self.text_zh, self.text_en)
