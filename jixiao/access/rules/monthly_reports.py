"""Access to the monthly report (绩效考核月报, issue 14; SPEC §5, §10).

HR (hr, hr_supervisor) and the committee generate and read every report, drafts included, with
every department's figures; HR writes the conclusion, publishes, and notes corrections on a
published report. A department head reads published reports only, and only their departments'
rows (``monthly_report.whole`` is refused them: the selector filters the snapshot to
``actor.headed_department_ids``). Employees, finance, the auditor and the bare system
administrator read none of it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..actor import Actor
from .kinds import GlobalRule, ObjectRule, ScopeRule

PUBLISHED = "published"
DRAFT = "draft"


def _reader(actor: Actor) -> bool:
    return actor.is_hr or actor.is_committee or actor.is_system


def _writer(actor: Actor) -> bool:
    return actor.is_hr or actor.is_system


def _view(actor: Actor, report: Any) -> bool:
    return _reader(actor) or (actor.is_head and report.state == PUBLISHED)


def _view_scope(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    if _reader(actor):
        return qs
    if actor.is_head:
        return qs.filter(state=PUBLISHED)
    return qs.none()


GLOBAL_RULES: dict[str, GlobalRule] = {
    "monthly_report.list": lambda a: _reader(a) or a.is_head,
    "monthly_report.generate": _reader,
}
OBJECT_RULES: dict[str, ObjectRule] = {
    "monthly_report.view": _view,
    "monthly_report.whole": lambda a, r: _reader(a),
    "monthly_report.regenerate": lambda a, r: _reader(a) and r.state == DRAFT,
    "monthly_report.edit": lambda a, r: _writer(a) and r.state == DRAFT,
    "monthly_report.publish": lambda a, r: _writer(a) and r.state == DRAFT,
    "monthly_report.correct": lambda a, r: _writer(a) and r.state == PUBLISHED,
}
SCOPE_RULES: dict[str, ScopeRule] = {
    "monthly_report.view": _view_scope,
}
