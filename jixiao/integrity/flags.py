"""The integrity checks of one cycle (公正检查, SPEC §8): each function turns the rows the
page selector fetched into flags naming who, whom and the evidence, in Chinese and English.
No queries here except the late-edit check's two (audit events and actuals after the deadline).

Ratings that are rubric level keys are shown by the level's name (“团队协作=良”), raters by
their label, measures by their name — never by code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.common.labels import LABELS, label_text
from jixiao.common.text import Text, say
from jixiao.cycles.entry.models import Actual
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.lifecycle.snapshot import rating_cell
from jixiao.engine.indicators import ScoringError, rubric_cell
from jixiao.engine.types import QUANTITATIVE, Indicator, Kind

from . import rules as r


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
class Member:
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


def is_measured(indicator: Indicator) -> bool:
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


def _indicator(member: Member, key: str) -> Indicator | None:
    try:
        ind: Indicator = member.plan.indicator(key)
    except KeyError:
        return None
    return ind


def _links(members: dict[int, Member], ids: Any) -> tuple[tuple[str, int | None], ...]:
    return tuple((members[m].name, members[m].result_id) for m in sorted(set(ids)))


def rater_flags(members: dict[int, Member], scores: list[dict[str, Any]]) -> tuple[list[Flag], list[Flag]]:
    ratings: dict[tuple[int, str], dict[str, dict[int, str]]] = defaultdict(lambda: defaultdict(dict))
    tops: dict[tuple[int, str], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    names: dict[int, str] = {}
    labels: dict[str, Text] = {}
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
        labels[ind.key] = _names(ind)
        if points:
            tops[rater].append(points)
    uniform: list[Flag] = []
    maximum: list[Flag] = []
    for rater, by_indicator in ratings.items():
        who = names[rater[0]]
        kind = _rater(rater[1])
        rated = {m for by_member in by_indicator.values() for m in by_member}
        whom = "、".join(members[m].name for m in sorted(rated))
        if r.all_maximum(tops[rater]):
            n = len(tops[rater])
            maximum.append(
                Flag(
                    "all_maximum",
                    who,
                    whom,
                    f"{who}（{kind.zh}）给出的 {n} 项等级评分全部是最高等级，涉及：{whom}。",
                    f"{who} ({kind.en}) gave the top level in all {n} rubric scores, to: {whom}.",
                    _links(members, rated),
                )
            )
            continue
        same = r.uniform_values(by_indicator)
        if same is not None:
            zh = "；".join(f"“{labels[k].zh}”都是 {v}" for k, v in same.items())
            en = "; ".join(f"{labels[k].en} = {v}" for k, v in same.items())
            uniform.append(
                Flag(
                    "uniform",
                    who,
                    whom,
                    f"{who}（{kind.zh}）给 {len(rated)} 人的评分完全相同：{zh}。涉及：{whom}。",
                    f"{who} ({kind.en}) gave the same scores to all {len(rated)} people: {en}. People: {whom}.",
                    _links(members, rated),
                )
            )
    return uniform, maximum


def evidence_flags(members: dict[int, Member], scores: list[dict[str, Any]]) -> list[Flag]:
    found: dict[tuple[str, int, str], list[Text]] = defaultdict(list)
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
            name, mark, share = _names(ind), _mark(ind, s["value"]), r.percent(rating)
            found[(s["rater__name"], s["member_id"], direction)].append(
                Text(f"{name.zh}={mark.zh}（{share}%）", f"{name.en} = {mark.en} ({share}%)")
            )
    out = []
    for (who, member_id, direction), items in found.items():
        member = members[member_id]
        measured = r.percent(member.measured or Decimal(0))
        what, what_en = "、".join(t.zh for t in items), ", ".join(t.en for t in items)
        if direction == "high":
            zh = f"{who}给{member.name}的评分 {what} 达到满分的 {r.HIGH_RATING}% 及以上，但其量化指标只达到 {measured}%（低于 {r.LOW_EVIDENCE}%）。"
            en = f"{who} rated {member.name} {what_en}, at least {r.HIGH_RATING}% of full points, while the measured indicators reach only {measured}% (below {r.LOW_EVIDENCE}%)."
        else:
            zh = f"{who}给{member.name}的评分 {what} 不超过满分的 {r.LOW_RATING}%，但其量化指标达到 {measured}%（{r.HIGH_EVIDENCE}% 及以上）。"
            en = f"{who} rated {member.name} {what_en}, at most {r.LOW_RATING}% of full points, while the measured indicators reach {measured}% ({r.HIGH_EVIDENCE}% or more)."
        out.append(Flag("evidence", who, member.name, zh, en, _links(members, [member_id])))
    return out


def team_flags(members: dict[int, Member]) -> list[Flag]:
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


def late_flags(
    cycle: Cycle, members: dict[int, Member], scores: list[dict[str, Any]], end: dt.datetime, deadline: str
) -> list[Flag]:
    edits: Counter[tuple[str, str]] = Counter(
        AuditEvent.objects.filter(
            created_at__gte=end,
            action__in=("score.set", "actual.set"),
            object_type__in=("cycles.score", "cycles.actual"),
        ).values_list("object_type", "object_id")
    )
    found: dict[tuple[str, int], list[Text]] = defaultdict(list)
    for s in scores:
        if s["updated_at"] >= end:
            times = edits[("cycles.score", str(s["pk"]))]
            member = members[s["member_id"]]
            ind = _indicator(member, s["indicator_key"])
            name = _names(ind) if ind is not None else Text(s["indicator_key"])
            mark = _mark(ind, s["value"]) if ind is not None else Text(s["value"])
            when = f" @ {_local(s['updated_at'])}" + (f" ×{times}" if times > 1 else "")
            found[(s["rater__name"], s["member_id"])].append(
                Text(f"{name.zh}={mark.zh}{when}", f"{name.en} = {mark.en}{when}")
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
        measure = _measure(members[a["member_id"]], a["measure_key"])
        when = f" @ {_local(a['updated_at'])}" + (f" ×{times}" if times > 1 else "")
        found[(who, a["member_id"])].append(
            Text(f"{measure.zh}={a['value']}{when}", f"{measure.en} = {a['value']}{when}")
        )
    out = []
    for (who, member_id), items in found.items():
        person = members[member_id].name
        what, what_en = "；".join(t.zh for t in items), "; ".join(t.en for t in items)
        out.append(
            Flag(
                "late",
                who,
                person,
                f"{who}在评分截止日 {deadline} 之后为{person}录入或修改了 {len(items)} 项：{what}（×N 为审计日志中截止后的修改次数）。",
                f"{who} entered or changed {len(items)} item(s) for {person} after the scoring deadline {deadline}: {what_en} (×N: edits after the deadline in the audit log).",
                _links(members, [member_id]),
            )
        )
    return out


def _names(ind: Indicator) -> Text:
    """An indicator's name in both languages (its Chinese name where it has no English one)."""
    return Text(ind.name_zh, ind.name_en or ind.name_zh)


def _mark(ind: Indicator, value: str) -> Text:
    """A stored rating as people read it: a rubric level by its name (good → 良 / Good)."""
    level = next((lv for lv in ind.levels if lv.key == str(value).strip()), None)
    if level is None:
        return Text(str(value))
    common = LABELS["flag"].get(level.key)
    english = level.name_en or (common.render("en") if common else level.name_zh)
    return Text(level.name_zh, english)


def _measure(member: Member, key: str) -> Text:
    """A measure (or the indicator it feeds) by its name, not its key."""
    for item in (*member.plan.measures, *member.plan.indicators):
        if item.key == key:
            return Text(item.name_zh, item.name_en or item.name_zh)
    return Text(key)


def _rater(kind: str) -> Text:
    """A rater kind by its label (上级评分 / Manager)."""
    return label_text(kind, "rater")


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
