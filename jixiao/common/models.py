"""Base model shared by every app."""

from __future__ import annotations

from django.db import models


class TimeStamped(models.Model):
    """A row that knows when it was created and last changed, and a version for optimistic locking."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
