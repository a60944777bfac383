"""What waits on a person among the cases (待办): each kind of case lists its own items through
``<wing>.selectors.inbox_items(user=...)``; the inbox page puts them together."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from jixiao.engine.text import Text


@dataclass(frozen=True)
class InboxItem:
    """One step of one case that waits on the person looking (or that they follow)."""

    kind: str  # "appeal", "complaint", "allegation", "suggestion" (labels in common.labels)
    reference: str  # shown to people: "申诉 AP-12" is built from kind and this ("AP-12")
    title: Text  # what the case is about, without confidential figures
    step: Text  # what waits: Text("待受理", "To accept")
    role: str  # the hat the person wears for it: "hr", "rechecker", "rater", "deputy", "leader", "appellant"
    link: str
    due: dt.date | None = None
    escalated: bool = False  # late and now also on the deputy's list

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.localdate()
