"""The tamper-evident audit log (审计日志).

Each :class:`AuditEvent` stores its content as canonical JSON text (``body``) and
``hash = sha256(prev_hash + body)``, so altering, deleting or reordering any row breaks the chain
from that row on. :class:`AuditHead` remembers the last sequence number and hash, which also
catches rows cut off the end. The database itself refuses UPDATE and DELETE on events (triggers
installed by migration 0002) unless the maintenance flag table ``audit_maintenance`` has a row.
"""

from __future__ import annotations

from django.db import models

GENESIS_HASH = "0" * 64


class AuditEvent(models.Model):
    """One recorded change (or sensitive read): who, when, what, before and after."""

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    body = models.TextField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The single row holding the chain's newest sequence number and hash; appends lock it."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"head #{self.last_seq}"
