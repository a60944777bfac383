"""Integrity flags for a cycle (公正检查, SPEC §8), for HR and the committee.

Fetch → compute → no query per person: a fixed handful of queries loads the cycle's members,
rules, results, scores, actuals and the late audit events; the arithmetic is in ``rules``. Each
flag names who, whom, the evidence and the threshold, in Chinese and English.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.models import AuditEvent
from jixiao.common.text import Text, say
from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import rating_cell, rules
from jixiao.cycles.results.models import Result
from jixiao.engine.indicators import ScoringError, rubric_cell
from jixiao.engine.types import QUANTITATIVE, Indicator, Kind

from . import rules as r

KINDS = ("uniform", "all_maximum", "evidence", "late", "team")
RATER_ZH = {"manager": "上级评分", "peer": "互评", "committee": "小组评分"}


@dataclass(frozen=True)
class Flag:
    """One thing HR should look at: who did it, to whom, and why it was flagged."""

    kind: str
    who: str
    whom: str
    zh: str
    en: str
    # (name, result pk or None) of each member concerned, for links to their results.
    members: tuple[tuple[str, int | None], ...] = ()

    @property
    def message(self) -> Text:
        return Text(self.zh, self.en)

    def text(self) -> str:
        return say(self.message)


@dataclass
class FlagGroup:
    kind: str
    title: str
    rule: str
    flags: list[Flag] = field(default_factory=list)


@dataclass
class IntegrityReport:
    cycle: Cycle
    groups: list[FlagGroup]
    deadline: str | None
    has_results: bool

    @property
    def total(self) -> int:
        return sum(len(g.flags) for g in self.groups)


def flag_cycles(*, user: ActingUser) -> QuerySet[Cycle]:
    """The cycles whose flags may be checked (every cycle that was opened)."""
    require(user, "integrity.flags")
    return Cycle.objects.exclude(state="planning")


@dataclass
class _Member:
    name: str
    department: str
    head: str | None
    manager_id: int | None
    manager: str | None
    department_id: int
    plan: Any
    result_id: int | None = None
    rated: Decimal | None = None
    measured: Decimal | None = None


def _titles() -> dict[str, tuple[str, str]]:
    return {
        "uniform": (
            _("评分完全相同"),
            _("同一评分人对 %(n)s 人及以上评分时，每个指标给所有人的分数都一样（全部满分的另列）。")
            % {"n": r.UNIFORM_MIN_RATEES},
        ),
        "all_maximum": (
            _("全部满分"),
            _("同一评分人给出的等级评分（至少 %(n)s 项）全部是最高等级。") % {"n": r.ALL_MAXIMUM_MIN_SCORES},
        ),
        "evidence": (
            _("评分与KPI数据不符"),
            _(
                "评分达到该指标满分的 %(high)s%% 及以上，而本人量化指标只达到 %(low)s%% 以下；"
                "或评分在 %(lr)s%% 及以下，而量化指标达到 %(he)s%% 及以上。"
            )
            % {"high": r.HIGH_RATING, "low": r.LOW_EVIDENCE, "lr": r.LOW_RATING, "he": r.HIGH_EVIDENCE},
        ),
        "late": (
            _("截止后录入或修改"),
            _("评分或实际值在评分截止日（当天 24 点，北京时间）之后录入或修改。"),
        ),
        "team": (
            _("团队评分明显高于KPI结果"),
            _(
                "同一上级或同一部门至少 %(n)s 人，评分类指标平均得分率比量化指标平均得分率高 %(gap)s 个百分点及以上。"
            )
            % {"n": r.TEAM_MIN_MEMBERS, "gap": r.TEAM_GAP},
        ),
    }


def cycle_flags(*, user: ActingUser, cycle: Cycle) -> IntegrityReport:
    """Every integrity flag of ``cycle``, grouped by kind (empty groups included)."""
    require(user, "integrity.flags")
    members = _members(cycle)
    scores: list[dict[str, Any]] = [
        dict(row)
        for row in Score.objects.filter(member__cycle=cycle)
        .order_by("pk")
        .values(
            "pk", "member_id", "indicator_key", "rater_kind", "rater_id", "rater__name", "value", "updated_at"
        )
    ]
    flags: dict[str, list[Flag]] = {kind: [] for kind in KINDS}
    flags["uniform"], flags["all_maximum"] = _rater_flags(members, scores)
    flags["evidence"] = _evidence_flags(members, scores)
    flags["team"] = _team_flags(members)
    deadline = (cycle.deadlines or {}).get("open")
    end = r.deadline_end(deadline, settings.TIME_ZONE) if deadline else None
    if end is not None:
        flags["late"] = _late_flags(cycle, members, scores, end, deadline or "")
    titles = _titles()
    groups = [FlagGroup(kind, *titles[kind], flags[kind]) for kind in KINDS]
    has_results = any(m.result_id is not None for m in members.values())
    return IntegrityReport(cycle, groups, deadline if end is not None else None, has_results)


def _members(cycle: Cycle) -> dict[int, _Member]:
    plans = {s.pk: rules(s)[0] for s in CyclePlan.objects.filter(cycle=cycle)}
    members: dict[int, _Member] = {}
    for row in CycleMember.objects.filter(cycle=cycle).values(
        "pk",
        "employee__name",
        "department_id",
        "department__name",
        "department__head__name",
        "manager_id",
        "manager__name",
        "snapshot_id",
    ):
        members[row["pk"]] = _Member(
            row["employee__name"],
            row["department__name"],
            row["department__head__name"],
            row["manager_id"],
            row["manager__name"],
            row["department_id"],
            plans[row["snapshot_id"]],
        )
    for pk, member_id, contributions in Result.objects.filter(cycle=cycle).values_list(
        "pk", "member_id", "contributions"
    ):
        member = members[member_id]
        member.result_id = pk
        weights = {i.key: int(i.weight * 1000) for i in member.plan.indicators if i.is_weighted}
        member.rated = r.share(
            (contributions.get(i.key), weights[i.key])
            for i in member.plan.indicators
            if i.is_rated and i.key in weights
        )
        member.measured = r.share(
            (contributions.get(i.key), weights[i.key])
            for i in member.plan.indicators
            if _measured(i) and i.key in weights
        )
    return members


def _measured(indicator: Indicator) -> bool:
    """KPI evidence: quantitative indicators fed by data (weighted deductions and rated ones are not)."""
    return indicator.kind in QUANTITATIVE and not indicator.is_rated


def _rubric_points(indicator: Indicator, value: str) -> tuple[Decimal, Decimal] | None:
    """(points given, top points) for a rubric value; None for other kinds or unreadable values."""
    if indicator.kind is not Kind.RUBRIC or not indicator.levels:
        return None
    try:
        cell = rating_cell(value)
        if cell is None or isinstance(cell, tuple):
            return None
        given = Decimal(rubric_cell(indicator, cell)) / 1000
    except (ScoringError, ArithmeticError):
        return None
    return given, max(level.points for level in indicator.levels)


def _indicator(member: _Member, key: str) -> Indicator | None:
    try:
        ind: Indicator = member.plan.indicator(key)
    except KeyError:
        return None
    return ind


def _links(members: dict[int, _Member], ids: Any) -> tuple[tuple[str, int | None], ...]:
    return tuple((members[m].name, members[m].result_id) for m in sorted(set(ids)))


def _rater_flags(members: dict[int, _Member], scores: list[dict[str, Any]]) -> tuple[list[Flag], list[Flag]]:
    ratings: dict[tuple[int, str], dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    tops: dict[tuple[int, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    names: dict[int, str] = {}
    labels: dict[str, str] = {}
    for s in scores:
        if s["rater_kind"] == "self":
            continue
        member = members[s["member_id"]]
        ind = _indicator(member, s["indicator_key"])
        if ind is None:
            continue
        rater = (s["rater_id"], s["rater_kind"])
        names[s["rater_id"]] = s["rater__name"]
        points = _rubric_points(ind, s["value"])
        normal = format(points[0].normalize(), "f") if points else s["value"].strip()
        ratings[rater][ind.key][s["member_id"]] = normal
        labels[ind.key] = ind.name_zh
        if points:
            tops[rater].append(points)
    uniform: list[Flag] = []
    maximum: list[Flag] = []
    for rater, by_indicator in ratings.items():
        who = names[rater[0]]
        rated = {m for by_member in by_indicator.values() for m in by_member}
        whom = "、".join(members[m].name for m in sorted(rated))
        if r.all_maximum(tops[rater]):
            n = len(tops[rater])
            maximum.append(
                Flag(
                    "all_maximum",
                    who,
                    whom,
                    f"{who}（{RATER_ZH.get(rater[1], rater[1])}）给出的 {n} 项等级评分全部是最高等级，涉及：{whom}。",
                    f"{who} ({rater[1]}) gave the top level in all {n} rubric scores, to: {whom}.",
                    _links(members, rated),
                )
            )
            continue
        same = r.uniform_values(by_indicator)
        if same is not None:
            zh = "；".join(f"“{labels[k]}”都是 {v}" for k, v in same.items())
            en = "; ".join(f"{k} = {v}" for k, v in same.items())
            uniform.append(
                Flag(
                    "uniform",
                    who,
                    whom,
                    f"{who}（{RATER_ZH.get(rater[1], rater[1])}）给 {len(rated)} 人的评分完全相同：{zh}。涉及：{whom}。",
                    f"{who} ({rater[1]}) gave the same scores to all {len(rated)} people: {en}. People: {whom}.",
                    _links(members, rated),
                )
            )
    return uniform, maximum


def _evidence_flags(members: dict[int, _Member], scores: list[dict[str, Any]]) -> list[Flag]:
    found: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for s in scores:
        member = members[s["member_id"]]
        ind = _indicator(member, s["indicator_key"])
        if s["rater_kind"] == "self" or ind is None or member.measured is None:
            continue
        points = _rubric_points(ind, s["value"])
        if points is None:
            continue
        rating = points[0] * r.HUNDRED / points[1] if points[1] else Decimal(0)
        direction = r.evidence_gap(rating, member.measured)
        if direction is not None:
            found[(s["rater__name"], s["member_id"], direction)].append(
                f"{ind.name_zh}={s['value']}（{r.percent(rating)}%）"
            )
    out = []
    for (who, member_id, direction), items in found.items():
        member = members[member_id]
        measured = r.percent(member.measured or Decimal(0))
        what = "、".join(items)
        if direction == "high":
            zh = f"{who}给{member.name}的评分 {what} 达到满分的 {r.HIGH_RATING}% 及以上，但其量化指标只达到 {measured}%（低于 {r.LOW_EVIDENCE}%）。"
            en = f"{who} rated {member.name} {what}, at least {r.HIGH_RATING}% of full points, while the measured indicators reach only {measured}% (below {r.LOW_EVIDENCE}%)."
        else:
            zh = f"{who}给{member.name}的评分 {what} 不超过满分的 {r.LOW_RATING}%，但其量化指标达到 {measured}%（{r.HIGH_EVIDENCE}% 及以上）。"
            en = f"{who} rated {member.name} {what}, at most {r.LOW_RATING}% of full points, while the measured indicators reach {measured}% ({r.HIGH_EVIDENCE}% or more)."
        out.append(Flag("evidence", who, member.name, zh, en, _links(members, [member_id])))
    return out


def _team_flags(members: dict[int, _Member]) -> list[Flag]:
    teams: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pk, m in members.items():
        if m.rated is None or m.measured is None:
            continue
        if m.manager_id is not None:
            teams[("manager", m.manager_id)].append(pk)
        teams[("department", m.department_id)].append(pk)
    out = []
    for (kind, _key), ids in teams.items():
        pairs = [(members[i].rated or Decimal(0), members[i].measured or Decimal(0)) for i in ids]
        gap = r.team_gap(pairs)
        if gap is None:
            continue
        first = members[ids[0]]
        if kind == "manager":
            who, team_zh, team_en = first.manager or "", f"{first.manager}的下属", f"{first.manager}'s team"
        else:
            who, team_zh, team_en = first.head or first.department, first.department, first.department
        rated, measured, diff = (r.percent(x) for x in gap)
        out.append(
            Flag(
                "team",
                who,
                team_zh,
                f"{team_zh}（{len(ids)} 人）评分类指标平均得分率 {rated}%，量化指标平均 {measured}%，高出 {diff} 个百分点（阈值 {r.TEAM_GAP}）。",
                f"{team_en} ({len(ids)} people): rated indicators average {rated}%, measured indicators {measured}%, {diff} points higher (threshold {r.TEAM_GAP}).",
                _links(members, ids),
            )
        )
    return out


def _late_flags(
    cycle: Cycle, members: dict[int, _Member], scores: list[dict[str, Any]], end: dt.datetime, deadline: str
) -> list[Flag]:
    edits: Counter[tuple[str, str]] = Counter(
        AuditEvent.objects.filter(
            created_at__gte=end,
            action__in=("score.set", "actual.set"),
            object_type__in=("cycles.score", "cycles.actual"),
        ).values_list("object_type", "object_id")
    )
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s in scores:
        if s["updated_at"] >= end:
            times = edits[("cycles.score", str(s["pk"]))]
            found[(s["rater__name"], s["member_id"])].append(
                f"{_name(members[s['member_id']], s['indicator_key'])}={s['value']} @ {_local(s['updated_at'])}"
                + (f" ×{times}" if times > 1 else "")
            )
    actuals = Actual.objects.filter(member__cycle=cycle, updated_at__gte=end).values(
        "pk",
        "member_id",
        "measure_key",
        "value",
        "updated_at",
        "entered_by__username",
        "entered_by__employee__name",
    )
    for a in actuals:
        who = a["entered_by__employee__name"] or a["entered_by__username"] or "—"
        times = edits[("cycles.actual", str(a["pk"]))]
        found[(who, a["member_id"])].append(
            f"{a['measure_key']}={a['value']} @ {_local(a['updated_at'])}"
            + (f" ×{times}" if times > 1 else "")
        )
    out = []
    for (who, member_id), items in found.items():
        name = members[member_id].name
        what = "；".join(items)
        out.append(
            Flag(
                "late",
                who,
                name,
                f"{who}在评分截止日 {deadline} 之后为{name}录入或修改了 {len(items)} 项：{what}（×N 为审计日志中截止后的修改次数）。",
                f"{who} entered or changed {len(items)} item(s) for {name} after the scoring deadline {deadline}: {what} (×N: edits after the deadline in the audit log).",
                _links(members, [member_id]),
            )
        )
    return out


def _name(member: _Member, key: str) -> str:
    ind = _indicator(member, key)
    return ind.name_zh if ind is not None else key


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
