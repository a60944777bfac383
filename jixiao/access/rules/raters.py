"""Rater analysis (评分者分析, issue 14): who may read how raters rated.

HR (hr, hr_supervisor) and the committee read every rater; a department head reads the raters of
their department's people — only the ratings given to those people (a rater's ratings of anyone
else stay hidden, and the head's figures are computed from what they may see); an employee and
the system administrator without an appraisal role read nothing. The object rule is on one
rating (a ``cycles.Score``) and agrees with the scope rule row by row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..actor import Actor
from .cycles import appraisal_reader
from .kinds import GlobalRule, ObjectRule, ScopeRule


def _reader(actor: Actor) -> bool:
    return appraisal_reader(actor) or actor.is_head


def _rating(actor: Actor, score: Any) -> bool:
    if score.rater_kind == "self":
        return False
    return appraisal_reader(actor) or score.member.department_id in actor.headed_department_ids


def _ratings(actor: Actor, qs: QuerySet[Any]) -> QuerySet[Any]:
    qs = qs.exclude(rater_kind="self")
    if appraisal_reader(actor):
        return qs
    return qs.filter(member__department_id__in=actor.headed_department_ids)


GLOBAL_RULES: dict[str, GlobalRule] = {"rater.view": _reader}
OBJECT_RULES: dict[str, ObjectRule] = {"rater.view": _rating}
SCOPE_RULES: dict[str, ScopeRule] = {"rater.view": _ratings}
