"""The month's figures as a JSON snapshot (what a report stores), counted with aggregate queries.

Every row that belongs to a department carries its id first (``None`` for the company as a
whole), so a department head's report is a filter of the same snapshot (``sections.py``). The
number of queries does not depend on the number of people: each part is one or two grouped
queries. Money is integer fen; scores and rates are decimal strings (JSON has no Decimal).

Which records a month counts (docs/decisions.md, the monthly report):
- cycles: the month's cycles, whose whole period lies in the month (2026-10: 1–31 October);
- coverage, grades, scores, summaries, appeals: those of the month's cycles;
- plan reviews, complaints, allegations, suggestions, promotions decided, trainings held,
  improvement plans started or finished: what happened in the month (by its date);
- rewards and penalties: approved ones paid in the month; pay: the month's released runs.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from jixiao.cases.appeals.models import Appeal
from jixiao.cases.appeals.models import State as AppealState
from jixiao.cases.concerns.models import Concern, Kind
from jixiao.cases.suggestions.models import Suggestion
from jixiao.common.errors import JixiaoError
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.models import Result
from jixiao.cycles.review.models import DepartmentSummary, Finding, Rectification
from jixiao.engine.grading import check_distribution
from jixiao.engine.report_figures import median_days, spread_of
from jixiao.org.models import Department
from jixiao.pay.monthly.models import RUN_RELEASED, MonthlyPayLine, MonthlyPayRun, Sanction
from jixiao.people.cadres.models import DECIDED, Nomination
from jixiao.people.improvement.models import FINISHED, ImprovementPlan
from jixiao.people.training.models import COUNTS as TRAINING_COUNTS
from jixiao.people.training.models import TrainingAttendance, TrainingSession
from jixiao.plans.adapters import document_findings
from jixiao.plans.models import Plan, ReviewComment, Revision

SNAPSHOT_VERSION = 1
# A department with fewer allegations than this shows no breakdown (SPEC §10: anonymous
# reporters are never identifiable from a count).
ALLEGATION_MIN = 3
MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])", re.ASCII)
FIRST_YEAR, LAST_YEAR = 2000, 2100
OPEN = "open"  # the outcome of a case not yet settled

Progress = Callable[[str, int, int], None]


def parse_month(text: object) -> str:
    """``2026-10`` as given, or a refusal in both languages (``2026-13``, ``1e30``, ``-1`` …)."""
    value = str(text if text is not None else "").strip()[:20]
    if not MONTH.fullmatch(value) or not FIRST_YEAR <= int(value[:4]) <= LAST_YEAR:
        raise JixiaoError(
            zh=f"“{value[:10]}”不是月份，应写作 2026-10（{FIRST_YEAR}–{LAST_YEAR} 年）。",
            en=f"“{value[:10]}” is not a month; write 2026-10 (years {FIRST_YEAR}–{LAST_YEAR}).",
            code="month",
            status=400,
        )
    return value


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """The first and the last day of ``month``."""
    year, number = int(month[:4]), int(month[5:7])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def _moments(month: str) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the month in the company's time zone."""
    first, last = month_bounds(month)
    zone = ZoneInfo(settings.TIME_ZONE)
    after = last + dt.timedelta(days=1)
    return dt.datetime.combine(first, dt.time(), zone), dt.datetime.combine(after, dt.time(), zone)


def month_cycles(month: str) -> list[Cycle]:
    """The month's cycles: those whose whole period lies in the month."""
    first, last = month_bounds(month)
    return list(Cycle.objects.filter(start__gte=first, end__lte=last).order_by("label"))


def _in_month(field: str, month: str) -> Q:
    start, end = _moments(month)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _days(start: dt.datetime, end: dt.datetime | None) -> int | None:
    return None if end is None else max((end - start).days, 0)


# ── coverage, grades, scores ────────────────────────────────────────────────────────────────────


def _deadline(cycles: list[Cycle]) -> dt.date | None:
    """The scoring deadline (the ``open`` stage's) of the month's cycles; the latest if several."""
    days = [dt.date.fromisoformat(str(c.deadlines["open"])[:10]) for c in cycles if c.deadlines.get("open")]
    return max(days) if days else None


def coverage(cycles: list[Cycle]) -> dict[str, Any]:
    """Per department: members, members with a result, scores given and those given on time."""
    deadline = _deadline(cycles)
    members = dict(
        CycleMember.objects.filter(cycle__in=cycles)
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    results = dict(
        Result.objects.filter(cycle__in=cycles)
        .values("member__department_id")
        .annotate(n=Count("pk"))
        .values_list("member__department_id", "n")
    )
    on_time = Q(updated_at__lt=_after(deadline)) if deadline else Q(pk__isnull=False)
    scores = {
        d: (n, k)
        for d, n, k in Score.objects.filter(member__cycle__in=cycles)
        .values("member__department_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=on_time))
        .values_list("member__department_id", "n", "k")
    }
    rows = [
        [d, members[d], results.get(d, 0), scores.get(d, (0, 0))[0], scores.get(d, (0, 0))[1]]
        for d in sorted(members)
    ]
    return {"deadline": deadline.isoformat() if deadline else None, "rows": rows}


def _after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), ZoneInfo(settings.TIME_ZONE))


def grades(cycles: list[Cycle]) -> dict[str, Any]:
    """Per department: how many have each grade, against the framework's quota for the department."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    snapshot_of: dict[int, int] = {}
    for d, snapshot, grade, n in (
        Result.objects.filter(cycle__in=cycles)
        .values("member__department_id", "member__snapshot_id", "grade")
        .annotate(n=Count("pk"))
        .values_list("member__department_id", "member__snapshot_id", "grade", "n")
    ):
        counts[d][grade] = counts[d].get(grade, 0) + n
        snapshot_of.setdefault(d, snapshot)
    frameworks = {s.pk: rules(s)[1] for s in CyclePlan.objects.filter(pk__in=set(snapshot_of.values()))}
    keys: list[list[str]] = []
    rows = []
    for d in sorted(counts):
        framework = frameworks[snapshot_of[d]]
        if not keys:
            keys = [[g.key, g.name_zh, g.name_en or g.name_zh] for g in framework.grades]
        everyone = [grade for grade, n in counts[d].items() for _ in range(n)]
        checked = check_distribution(framework, everyone)[0]
        quota: dict[str, str] = {}
        off: dict[str, str] = {}
        for line in checked.lines:
            sign = "≤" if line.limit == "max" else "≥"
            quota[line.grade] = (quota.get(line.grade, "") + f" {sign} {line.quota_count}").strip()
            if str(line.status) != "ok" and not checked.exempt:
                off[line.grade] = str(line.status)
        rows.append({"d": d, "counts": counts[d], "quota": quota, "off": off, "exempt": checked.exempt})
    return {"grades": keys, "rows": rows}


def scores(cycles: list[Cycle]) -> dict[str, Any]:
    """Per department: count, mean, median, lowest, highest and standard deviation of the totals."""
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for d, milli, n in (
        Result.objects.filter(cycle__in=cycles)
        .values("member__department_id", "total_milli")
        .annotate(n=Count("pk"))
        .values_list("member__department_id", "total_milli", "n")
    ):
        pairs[d].append((milli, n))
    rows = []
    for d in sorted(pairs):
        s = spread_of(pairs[d])
        if s is not None:
            rows.append([d, s.count, str(s.mean), str(s.median), str(s.low), str(s.high), str(s.deviation)])
    company = spread_of(p for d in pairs for p in pairs[d])
    total: list[Any] | None = (
        [None, company.count, str(company.mean), str(company.median), str(company.low), str(company.high),
         str(company.deviation)]
        if company else None
    )  # fmt: skip
    return {"rows": rows, "company": total}


# ── plans, summaries ────────────────────────────────────────────────────────────────────────────


def plan_reviews(month: str) -> dict[str, Any]:
    """Per department: plan versions submitted for review in the month, review comments written and
    answered, plans published, and the lint findings of the plans reviewed (blocking, warnings)."""
    submitted = dict(
        Revision.objects.filter(_in_month("submitted_at", month), plan__isnull=False)
        .values("plan__department_id")
        .annotate(n=Count("pk"))
        .values_list("plan__department_id", "n")
    )
    comments = {
        d: (n, a)
        for d, n, a in ReviewComment.objects.filter(_in_month("created_at", month))
        .values("plan__department_id")
        .annotate(n=Count("pk"), a=Count("pk", filter=~Q(answer="")))
        .values_list("plan__department_id", "n", "a")
    }
    published = dict(
        Plan.objects.filter(_in_month("published_at", month))
        .values("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    reviewed = (
        Plan.objects.filter(
            Q(pk__in=Revision.objects.filter(_in_month("submitted_at", month)).values("plan_id"))
            | Q(pk__in=ReviewComment.objects.filter(_in_month("created_at", month)).values("plan_id"))
        )
        .select_related("framework", "department")
        .prefetch_related("positions")
    )
    lint: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for plan in reviewed:
        for finding in document_findings(plan):
            lint[plan.department_id][0 if str(finding.severity) == "blocking" else 1] += 1
    departments = sorted(set(submitted) | set(comments) | set(published) | set(lint))
    rows = [
        [d, submitted.get(d, 0), comments.get(d, (0, 0))[0], comments.get(d, (0, 0))[1], published.get(d, 0),
         lint[d][0] if d in lint else 0, lint[d][1] if d in lint else 0]
        for d in departments
    ]  # fmt: skip
    return {"rows": rows}


def summaries(cycles: list[Cycle]) -> dict[str, Any]:
    """Per department: its month-end summary's status, the findings recorded on it, how many needed
    rectification, and the rectifications open, answered, verified and overdue (as of today)."""
    status = {
        d: s
        for d, s in DepartmentSummary.objects.filter(cycle__in=cycles).values_list("department_id", "status")
    }
    findings = {
        d: (n, k)
        for d, n, k in Finding.objects.filter(summary__cycle__in=cycles)
        .values("summary__department_id")
        .annotate(n=Count("pk"), k=Count("pk", filter=Q(needs_rectification=True)))
        .values_list("summary__department_id", "n", "k")
    }
    today = timezone.localdate()
    R = Rectification.Status
    rect = {
        row[0]: row[1:]
        for row in Rectification.objects.filter(finding__summary__cycle__in=cycles)
        .values("department_id")
        .annotate(
            o=Count("pk", filter=Q(status=R.OPEN)),
            a=Count("pk", filter=Q(status=R.ANSWERED)),
            v=Count("pk", filter=Q(status=R.VERIFIED)),
            late=Count("pk", filter=~Q(status=R.VERIFIED) & Q(due__lt=today)),
        )
        .values_list("department_id", "o", "a", "v", "late")
    }
    rows = [
        [d, status.get(d, ""), *findings.get(d, (0, 0)), *rect.get(d, (0, 0, 0, 0))]
        for d in sorted(set(status) | set(findings) | set(rect))
    ]
    return {"rows": rows}


# ── cases ───────────────────────────────────────────────────────────────────────────────────────


def _case_rows(kind: str, items: Iterable[tuple[int | None, str, int | None]]) -> tuple[list[Any], list[Any]]:
    """From (department, outcome, days or None) rows: counts per (department, outcome) and the
    durations per department, each with the company total (department None) last."""
    counts: dict[tuple[int | None, str], int] = defaultdict(int)
    days: dict[int | None, list[int]] = defaultdict(list)
    for d, outcome, took in items:
        for where in {d, None}:
            counts[(where, outcome)] += 1
            if took is not None:
                days[where].append(took)
    count_rows = [[kind, d, o, n] for (d, o), n in sorted(counts.items(), key=_order)]
    duration_rows = [
        [kind, d, len(v), str(median_days(v)), max(v)] for d, v in sorted(days.items(), key=_order)
    ]
    return count_rows, duration_rows


def _order(item: tuple[Any, Any]) -> tuple[int, str]:
    key = item[0]
    d, rest = (key[0], key[1]) if isinstance(key, tuple) else (key, "")
    return (d if d is not None else 1 << 40, rest)


def cases(cycles: list[Cycle], month: str) -> dict[str, Any]:
    """Appeals of the month's cycles; complaints, allegations and suggestions made in the month:
    counts by outcome and, for the settled, median and longest days (never who reported).

    Allegations of a department with fewer than ``ALLEGATION_MIN`` are counted in the company total
    only: the snapshot itself holds no breakdown of them, so no filter or download can show one."""
    appeals = [
        (d, state if state not in OPEN_APPEALS else OPEN, _days(made, settled))
        for d, state, made, settled in Appeal.objects.filter(cycle__in=cycles).values_list(
            "result__member__department_id", "state", "created_at", "decided_at"
        )
    ]
    concerns: dict[str, list[tuple[int | None, str, int | None]]] = {Kind.COMPLAINT: [], Kind.ALLEGATION: []}
    for kind, d, outcome, made, closed in Concern.objects.filter(_in_month("created_at", month)).values_list(
        "kind", "subject__department_id", "outcome", "created_at", "closed_at"
    ):
        concerns[kind].append((d, outcome or OPEN, _days(made, closed)))
    per_department: dict[int | None, int] = defaultdict(int)
    for where, _, _ in concerns[Kind.ALLEGATION]:
        per_department[where] += 1
    withheld = sorted(k for k, m in per_department.items() if k is not None and m < ALLEGATION_MIN)
    allegations = [(None if d in withheld else d, o, t) for d, o, t in concerns[Kind.ALLEGATION]]
    suggestions = [
        (None, state, _days(made, answered))
        for state, made, answered in Suggestion.objects.filter(_in_month("created_at", month)).values_list(
            "state", "created_at", "answered_at"
        )
    ]
    counts: list[Any] = []
    durations: list[Any] = []
    for kind, items in (
        ("appeal", appeals),
        ("complaint", concerns[Kind.COMPLAINT]),
        ("allegation", allegations),
        ("suggestion", suggestions),
    ):
        c, t = _case_rows(kind, items)  # a withheld allegation counts once, in the company total
        counts += c
        durations += t
    return {"counts": counts, "durations": durations, "withheld": len(withheld)}


OPEN_APPEALS = frozenset(
    {AppealState.AWAITING_LEAVE, AppealState.FILED, AppealState.ACCEPTED, AppealState.RECHECKING,
     AppealState.RECOMMENDED}
)  # fmt: skip


# ── people, pay ─────────────────────────────────────────────────────────────────────────────────


def people(month: str) -> dict[str, Any]:
    """Rewards and penalties approved for the month; improvement plans started and finished;
    promotions decided; training sessions held and who attended, per department."""
    first, last = month_bounds(month)
    sanctions = [
        [d, kind, n, fen]
        for d, kind, n, fen in Sanction.objects.filter(month=month, status=Sanction.Status.APPROVED)
        .values("employee__department_id", "kind")
        .annotate(n=Count("pk"), fen=Sum("amount_fen"))
        .order_by("employee__department_id", "kind")
        .values_list("employee__department_id", "kind", "n", "fen")
    ]
    started = dict(
        ImprovementPlan.objects.filter(started_on__gte=first, started_on__lte=last)
        .values("employee__department_id")
        .annotate(n=Count("pk"))
        .values_list("employee__department_id", "n")
    )
    finished = dict(
        ImprovementPlan.objects.filter(finished_on__gte=first, finished_on__lte=last, state__in=FINISHED)
        .values("employee__department_id")
        .annotate(n=Count("pk"))
        .values_list("employee__department_id", "n")
    )
    promotions = [
        [d, state, n]
        for d, state, n in Nomination.objects.filter(_in_month("decided_at", month), state__in=DECIDED)
        .values("department_id", "state")
        .annotate(n=Count("pk"))
        .order_by("department_id", "state")
        .values_list("department_id", "state", "n")
    ]
    sessions = TrainingSession.objects.filter(
        held_on__gte=first, held_on__lte=last, state__in=TRAINING_COUNTS
    )
    attended = dict(
        TrainingAttendance.objects.filter(session__in=sessions, present=True)
        .values("employee__department_id")
        .annotate(n=Count("pk"))
        .values_list("employee__department_id", "n")
    )
    plans = sorted(set(started) | set(finished))
    return {
        "sanctions": sanctions,
        "improvement": [[d, started.get(d, 0), finished.get(d, 0)] for d in plans],
        "promotions": promotions,
        "sessions": sessions.count(),
        "training": [[d, n] for d, n in sorted(attended.items())],
    }


def pay(month: str) -> dict[str, Any]:
    """The month's released pay runs: per department, people paid, monthly bonus and total pay
    (to the fen, the sums of the lines) against the department's bonus pool."""
    runs = list(
        MonthlyPayRun.objects.filter(month=month, status__in=RUN_RELEASED).values_list("pk", "budget")
    )
    pools: dict[int, int] = defaultdict(int)
    for _, budget in runs:
        for line in budget:
            pools[int(line["department"])] += int(line["pool_fen"])
    lines = {
        d: (n, bonus, total)
        for d, n, bonus, total in MonthlyPayLine.objects.filter(run_id__in=[pk for pk, _ in runs])
        .values("department_id")
        .annotate(n=Count("pk"), bonus=Sum("monthly_bonus_fen"), total=Sum("total_fen"))
        .values_list("department_id", "n", "bonus", "total")
    }
    rows = [[d, *lines.get(d, (0, 0, 0)), pools.get(d)] for d in sorted(set(lines) | set(pools))]
    return {"runs": len(runs), "rows": rows}


PHASES = ("coverage", "grades", "scores", "plans", "summaries", "cases", "people", "pay")


def build(month: str, progress: Progress | None = None) -> dict[str, Any]:
    """Every figure of ``month``'s report, as JSON. ``progress(phase, done, total)`` is told as
    each part is counted (the job's progress bar)."""
    month = parse_month(month)
    tell = progress or (lambda phase, done, total: None)
    tell("reading", 0, len(PHASES))
    cycles = month_cycles(month)
    parts: dict[str, Callable[[], dict[str, Any]]] = {
        "coverage": lambda: coverage(cycles),
        "grades": lambda: grades(cycles),
        "scores": lambda: scores(cycles),
        "plans": lambda: plan_reviews(month),
        "summaries": lambda: summaries(cycles),
        "cases": lambda: cases(cycles, month),
        "people": lambda: people(month),
        "pay": lambda: pay(month),
    }
    data: dict[str, Any] = {"version": SNAPSHOT_VERSION, "month": month, "cycles": [c.label for c in cycles]}
    for done, (key, part) in enumerate(parts.items()):
        tell("computing", done, len(parts))
        data[key] = part()
    tell("computing", len(parts), len(parts))
    data["departments"] = {
        str(d.pk): d.name for d in Department.objects.filter(pk__in=_departments(data)).only("pk", "name")
    }
    return data


def _departments(data: dict[str, Any]) -> set[int]:
    found: set[int] = set()
    for key in ("coverage", "scores", "plans", "summaries", "pay"):
        found |= {row[0] for row in data[key]["rows"]}
    found |= {row["d"] for row in data["grades"]["rows"]}
    found |= {row[1] for row in data["cases"]["counts"]}
    for key in ("sanctions", "improvement", "promotions", "training"):
        found |= {row[0] for row in data["people"][key]}
    found.discard(None)  # type: ignore[arg-type,unused-ignore]
    return found
