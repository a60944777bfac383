"""Read results through ``access`` (§10), and the result pages' selectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import require, scope
from jixiao.audit.services import audit_record
from jixiao.common.errors import NotFound
from jixiao.common.labels import source_label
from jixiao.common.text import Text, language, named
from jixiao.cycles.calibration.selectors import calibration_notice
from jixiao.cycles.lifecycle.models import RELEASED, Cycle
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
    grade_names: dict[str, str] = field(default_factory=dict)  # every grade of the framework


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
        result, result_explain(result, result.member.snapshot), plan, names.get(result.grade, ""), names
    )


def results_page(*, user: ActingUser, pk: int) -> tuple[Cycle, QuerySet[Result]]:
    """A cycle's results, for those who see its dashboard."""
    cycle = cycle_get(user=user, pk=pk)
    require(user, "cycle.dashboard", cycle)
    return cycle, results(user=user, cycle=cycle)


def my_results_page(*, user: ActingUser, todo: bool = False) -> list[Result]:
    """The user's own results, each with ``shown`` attached (what the release lets them see);
    ``todo``: only those whose feedback interview waits for the user's acknowledgement."""
    require(user, "result.mine")
    qs = my_results(user=user)
    if todo:
        qs = qs.filter(
            cycle__state__in=RELEASED,
            member__interview__isnull=False,
            member__interview__acknowledged_at__isnull=True,
        )
    return shown_many(user=user, results=qs)


def _points(milli: int) -> str:
    return f"{milli // 1000}.{milli % 1000 // 10:02d}"


def _change(before: int, after: int) -> str:
    """The change of a total in points, signed ("+2.50", "−1.00", "0.00")."""
    diff = after - before
    sign = "+" if diff > 0 else "−" if diff < 0 else ""
    return f"{sign}{_points(abs(diff))}"


@dataclass(frozen=True)
class VersionRow:
    """An earlier version of a result (复核前), as this viewer may see it: totals and grades only
    where the release shows them (``Shown``), and what replaced it."""

    label: Text  # 第 1 版 / Version 1
    total: str  # "" when the viewer is not shown totals
    change: str  # the change to the version that replaced it ("+2.50"); "" when hidden
    grade: str  # "B 良好" ("" when the viewer is not shown grades)
    grade_after: str
    reason: str
    source: Text  # the case: 申诉 AP-12
    replaced_at: Any


def result_versions(result: Result, shown: Any, grade_names: dict[str, str]) -> list[VersionRow]:
    """The result's superseded versions, newest first, each against the one that replaced it."""
    versions = list(result.versions.order_by("-number"))
    following: list[tuple[int, str]] = [(result.total_milli, result.grade)]
    following += [(v.total_milli, v.grade) for v in versions]
    rows = []
    for version, (total_after, grade_after) in zip(versions, following, strict=False):
        rows.append(
            VersionRow(
                Text(f"第 {version.number} 版", f"Version {version.number}"),
                version.total_display if shown.total else "",
                _change(version.total_milli, total_after) if shown.total else "",
                f"{version.grade} {grade_names.get(version.grade, '')}".strip() if shown.grade else "",
                f"{grade_after} {grade_names.get(grade_after, '')}".strip() if shown.grade else "",
                version.reason,
                source_label(version.source),
                version.replaced_at,
            )
        )
    return rows


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
    version: Text | None = None  # 第 2 版 / Version 2 once a recheck replaced the first
    versions: list[VersionRow] = field(default_factory=list)  # the superseded versions, newest first


def result_page(*, user: ActingUser, pk: int) -> ResultPage:
    """One result with its trace re-computed and rendered in the request's language."""
    explained = result_explained(user=user, pk=pk)
    result = explained.result
    trace = explained.person.trace
    names = {i.key: named(i, "name_zh") for i in explained.plan.indicators}
    review = review_selectors.result_review(user=user, result=result)
    revised = result.revision > 1
    return ResultPage(
        explained=explained,
        review=review,
        move=calibration_notice(explained.result),
        employee=named(explained.result.member.employee),
        rows=indicator_rows(explained.plan, explained.person, explained.result.inputs),
        total=plain(round_half_up(explained.person.total, SHOWN)),
        steps=[step.render(language()) for step in trace.steps] if trace else [],
        missing=[names.get(key, key) for key in explained.person.missing],
        version=Text(f"第 {result.revision} 版", f"Version {result.revision}") if revised else None,
        versions=result_versions(result, review.shown, explained.grade_names) if revised else [],
    )
