"""Integrity flags for a cycle (公正检查, SPEC §8), for HR and the committee.

Fetch → compute → no query per person: a fixed handful of queries loads the cycle's members,
rules, results, scores, actuals and the late audit events; the arithmetic is in ``rules``. Each
flag names who, whom, the evidence and the threshold, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.audit.selectors import audit_chain_verify, audit_events_recent
from jixiao.common.labels import action_label, object_noun
from jixiao.common.text import named, say
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle.models import Cycle, CycleMember, CyclePlan
from jixiao.cycles.lifecycle.snapshot import rules
from jixiao.cycles.results.models import Result

from . import rules as r
from .flags import Flag, Member, evidence_flags, is_measured, late_flags, rater_flags, team_flags
from .raters.data import cycle_rater_flags

KINDS = ("uniform", "all_maximum", "evidence", "late", "team", "raters")


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
        "raters": (
            _("评分者分析"),
            _(
                "按评分人统计宽严倾向、集中趋势、千篇一律、偏离KPI数据、与其他评分人不一致；"
                "效应超出不确定度（单侧 0.1%% 检验）且达到实际意义的幅度、样本量够大时才提示。"
            ),
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
    flags["uniform"], flags["all_maximum"] = rater_flags(members, scores)
    flags["evidence"] = evidence_flags(members, scores)
    flags["team"] = team_flags(members)
    flags["raters"] = _rater_flags(members, scores, cycle.pk)
    deadline = (cycle.deadlines or {}).get("open")
    end = r.deadline_end(deadline, settings.TIME_ZONE) if deadline else None
    if end is not None:
        flags["late"] = late_flags(cycle, members, scores, end, deadline or "")
    titles = _titles()
    groups = [FlagGroup(kind, *titles[kind], flags[kind]) for kind in KINDS]
    has_results = any(m.result_id is not None for m in members.values())
    return IntegrityReport(cycle, groups, deadline if end is not None else None, has_results)


def _rater_flags(members: dict[int, Member], scores: list[dict[str, Any]], cycle_id: int) -> list[Flag]:
    """The rater analysis of this one cycle, as flags with their evidence (method, effect,
    uncertainty, n): one flag per rater and measure flagged (``integrity.raters``)."""
    out = []
    for name, result in cycle_rater_flags(members, scores, cycle_id):
        for m in result.flags:
            zh = (
                f"{name}：{m.name.zh}。{m.verdict.zh}数值 {m.effect}，标准误 {m.uncertainty}，"
                f"n={m.n}（最小样本量 {m.minimum}）。方法：{m.method.zh}"
            )
            en = (
                f"{name}: {m.name.en}. {m.verdict.en} Figure {m.effect}, standard error {m.uncertainty}, "
                f"n={m.n} (minimum sample {m.minimum}). Method: {m.method.en}"
            )
            out.append(Flag("raters", name, say(m.name), zh, en))
    return out


def _members(cycle: Cycle) -> dict[int, Member]:
    plans = {s.pk: rules(s)[0] for s in CyclePlan.objects.filter(cycle=cycle)}
    members: dict[int, Member] = {}
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
        members[row["pk"]] = Member(
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
            if is_measured(i) and i.key in weights
        )
    return members


# -- the audit log page ------------------------------------------------------------------

# What names an object on the audit page, per model (anything else is shown by its number).
_NAMES = {"cycles.cycle": "label", "org.position": "title", "auth.user": "username"}


@dataclass(frozen=True)
class AuditRow:
    """One audit event as the page shows it: the action and the object in words."""

    seq: int
    created_at: Any
    actor_name: str
    action: str
    target: str
    hash: str


@dataclass
class AuditPage:
    page: Any  # the paginator page of events
    rows: list[AuditRow]
    report: Any  # the chain check, when asked for


def _object_names(events: list[Any]) -> dict[tuple[str, str], str]:
    """The name of every object the events point at: one query per model on the page."""
    wanted: dict[str, set[int]] = {}
    for e in events:
        if e.object_type and str(e.object_id).isdigit():
            wanted.setdefault(e.object_type, set()).add(int(e.object_id))
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        attribute = _NAMES.get(object_type)
        if attribute is None and not any(f.name == "name" for f in model._meta.fields):
            continue
        for pk, obj in model.objects.in_bulk(list(ids)).items():
            names[(object_type, str(pk))] = str(getattr(obj, attribute)) if attribute else named(obj)
    return names


def audit_page(*, user: ActingUser, page: Any, verify: bool) -> AuditPage:
    """The audit log, 50 events a page, newest first: actions and objects by their labels
    (“考核方案：人力资源部退回”, “考核周期 2026-10”), never by code."""
    require(user, "audit.view")
    shown = Paginator(audit_events_recent(), 50).get_page(page)
    events = list(shown.object_list)
    names = _object_names(events)
    rows = []
    for e in events:
        noun = say(object_noun(e.object_type)) if e.object_type else ""
        name = names.get((e.object_type, str(e.object_id))) or (f"#{e.object_id}" if e.object_id else "")
        rows.append(
            AuditRow(
                e.seq,
                e.created_at,
                e.actor_name,
                say(action_label(e.action)),
                f"{noun} {name}".strip(),
                e.hash,
            )
        )
    return AuditPage(shown, rows, audit_chain_verify() if verify else None)
