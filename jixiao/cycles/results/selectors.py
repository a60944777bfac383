"""Read results through ``access`` (§10), and the result pages' selectors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import NotFound
from jixiao.common.text import language, named
from jixiao.cycles.calibration.selectors import calibration_notice
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.lifecycle.selectors import cycle_get
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.review import selectors as review_selectors
from jixiao.cycles.review.release import shown_many
from jixiao.engine.batch import PersonResult
from jixiao.engine.money import plain, round_half_up

from .calculation import result_explain
from .models import Result
from .rows import SHOWN, IndicatorRow, indicator_rows


def results(*, user: ActingUser, cycle: Cycle) -> QuerySet[Result]:
    qs = Result.objects.filter(cycle=cycle).select_related("member__employee", "member__department", "cycle")
    return scope(user, "result.view", qs).order_by("rank_company", "member_id")


def my_results(*, user: ActingUser) -> QuerySet[Result]:
    actor = actor_for(user)
    if actor.employee_id is None:
        return Result.objects.none()
    qs = Result.objects.filter(member__employee_id=actor.employee_id).select_related("cycle", "member")
    return scope(user, "result.view", qs).order_by("-cycle__start")


@dataclass
class Explained:
    result: Result
    person: PersonResult
    plan: Any
    grade_name: str


def result_explained(*, user: ActingUser, pk: int) -> Explained:
    """A result with its trace, re-computed by the engine from the stored inputs. Reading another
    person's result is logged (``result.read``)."""
    qs = Result.objects.filter(pk=pk).select_related("member__employee", "member__snapshot", "cycle")
    result = scope(user, "result.view", qs).first()
    if result is None:
        raise NotFound()
    if result.member.employee_id != actor_for(user).employee_id:
        audit_record(actor=user, action="result.read", obj=result, object_type="cycles.result")
    plan, framework = rules(result.member.snapshot)
    names = {g.key: named(g, "name_zh") for g in framework.grades}
    return Explained(
        result, result_explain(result, result.member.snapshot), plan, names.get(result.grade, "")
    )


def results_page(*, user: ActingUser, pk: int) -> tuple[Cycle, QuerySet[Result]]:
    """A cycle's results, for those who see its dashboard."""
    cycle = cycle_get(user=user, pk=pk)
    require(user, "cycle.dashboard", cycle)
    return cycle, results(user=user, cycle=cycle)


def my_results_page(*, user: ActingUser) -> list[Result]:
    """The user's own results, each with ``shown`` attached (what the release lets them see)."""
    require(user, "result.mine")
    return shown_many(user=user, results=my_results(user=user))


@dataclass
class ResultPage:
    explained: Explained
    review: Any  # review.selectors.ResultReview: the release applied and the feedback interview
    move: Any  # the calibration move that changed the grade, or None
    employee: str
    rows: list[IndicatorRow]  # the table: one row per indicator, figures rounded for display
    steps: list[str]  # the trace, rendered in the page's language
    missing: list[str]  # indicators without data (counted as 0), by name
    total: str  # the total as shown (two decimals)


def result_page(*, user: ActingUser, pk: int) -> ResultPage:
    """One result with its trace re-computed and rendered in the request's language."""
    explained = result_explained(user=user, pk=pk)
    trace = explained.person.trace
    names = {i.key: named(i, "name_zh") for i in explained.plan.indicators}
    return ResultPage(
        explained=explained,
        review=review_selectors.result_review(user=user, result=explained.result),
        move=calibration_notice(explained.result),
        employee=named(explained.result.member.employee),
        rows=indicator_rows(explained.plan, explained.person, explained.result.inputs),
        total=plain(round_half_up(explained.person.total, SHOWN)),
        steps=[step.render(language()) for step in trace.steps] if trace else [],
        missing=[names.get(key, key) for key in explained.person.missing],
    )
