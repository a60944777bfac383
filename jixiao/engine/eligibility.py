"""Cadre eligibility (干部任职条件) and the performance band of the talent grid (九宫格).

Pure: the shell passes a person's released results (:class:`Record`), the date they took their
current post (or were hired) and whether an improvement plan is open; :func:`eligibility` checks
the target level's :class:`Rule` and returns each condition, met or not, with the figures that
decided it ("2026-Q1 B、2026-Q2 A … → 符合"). Nothing is stored as text: pages re-run it.

Conditions (each only when the rule asks for it):

- **grades**: the last ``cycle_count`` results of cycles of ``cycle_kind`` that ended on or
  before the day are each at ``min_grade`` or better (in their own framework's order, best
  first); fewer results than asked is not met.
- **tenure**: at least ``min_months_in_post`` full months in the current post (from the last
  position change, else the hire date; unknown is not met).
- **veto**: no veto (一票否决) in those same results.
- **plan**: no improvement plan open.

A bad result (below ``min_grade``, or with a veto) never makes anyone eligible: it either enters
the window and fails it, or falls before the window and changes nothing (property-tested).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .money import plain, round_half_up
from .text import Text

KINDS = ("month", "quarter", "year")
KIND_UNITS: dict[str, tuple[str, str, str]] = {  # kind → (zh unit, en singular, en plural)
    "month": ("个月", "month", "months"),
    "quarter": ("个季度", "quarter", "quarters"),
    "year": ("年", "year", "years"),
}
MAX_COUNT = 24
MAX_MONTHS = 600
UNKNOWN_GRADE = "?"


@dataclass(frozen=True)
class Record:
    """One released result: its cycle, the grade, the framework's grades (best first), a veto."""

    label: str
    kind: str
    end: dt.date
    grade: str
    grades: tuple[str, ...]
    veto: bool = False

    def at_least(self, minimum: str) -> bool:
        """Whether the grade is ``minimum`` or better in this record's own framework."""
        if self.grade not in self.grades or minimum not in self.grades:
            return False
        return self.grades.index(self.grade) <= self.grades.index(minimum)

    @property
    def score(self) -> Fraction | None:
        """The grade's place from 0 (the worst) to 1 (the best); None for a grade not in the list."""
        if self.grade not in self.grades:
            return None
        if len(self.grades) == 1:
            return Fraction(1)
        return Fraction(len(self.grades) - 1 - self.grades.index(self.grade), len(self.grades) - 1)


@dataclass(frozen=True)
class Rule:
    """A target level's conditions, as HR set them."""

    cycle_kind: str = "quarter"
    cycle_count: int = 4
    min_grade: str = "B"
    min_months_in_post: int = 24  # 0: no tenure condition
    no_veto: bool = True
    no_open_plan: bool = True

    def __post_init__(self) -> None:
        if self.cycle_kind not in KINDS:
            raise ValueError(f"cycle kind {self.cycle_kind!r}")
        if not 1 <= self.cycle_count <= MAX_COUNT or not 0 <= self.min_months_in_post <= MAX_MONTHS:
            raise ValueError("cycle count or months out of range")


@dataclass(frozen=True)
class Candidate:
    """What the rule reads of one person."""

    records: tuple[Record, ...]
    since: dt.date | None = None  # when the current post began (or the hire date)
    since_hire: bool = False  # ``since`` is the hire date (personal: its date is not shown)
    open_plan: bool = False


@dataclass(frozen=True)
class Condition:
    """One condition of the rule for one person: met or not, and the figures that decided it."""

    key: str  # grades | tenure | veto | plan
    label: Text
    figures: Text
    met: bool


@dataclass(frozen=True)
class Eligibility:
    conditions: tuple[Condition, ...]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.conditions)

    @property
    def unmet(self) -> tuple[Condition, ...]:
        return tuple(c for c in self.conditions if not c.met)


def window(records: Sequence[Record], kind: str, count: int, day: dt.date) -> tuple[Record, ...]:
    """The last ``count`` results of cycles of ``kind`` that ended on or before ``day``, oldest first."""
    ended = sorted((r for r in records if r.kind == kind and r.end <= day), key=lambda r: (r.end, r.label))
    return tuple(ended[-count:]) if count > 0 else ()


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def _span(kind: str, count: int) -> Text:
    zh, one, many = KIND_UNITS[kind]
    return Text(f"最近 {count} {zh}", f"the last {count} {one if count == 1 else many}")


def _listed(records: Sequence[Record]) -> str:
    return "、".join(f"{r.label} {r.grade or UNKNOWN_GRADE}" for r in records)


def _verdict(met: bool) -> Text:
    return Text("符合", "met") if met else Text("不符合", "not met")


def _grades(rule: Rule, shown: tuple[Record, ...]) -> Condition:
    span = _span(rule.cycle_kind, rule.cycle_count)
    label = Text(f"{span.zh}等级均不低于 {rule.min_grade}", f"{span.en}: {rule.min_grade} or better")
    if len(shown) < rule.cycle_count:
        zh, one, many = KIND_UNITS[rule.cycle_kind]
        listed = _listed(shown) or "—"
        figures = Text(
            f"{listed} → 只有 {len(shown)} {zh}的结果（需要 {rule.cycle_count}） → 不符合",
            f"{listed.replace('、', ', ')} → only {len(shown)} {one if len(shown) == 1 else many} "
            f"of results ({rule.cycle_count} needed) → not met",
        )
        return Condition("grades", label, figures, False)
    below = [r for r in shown if not r.at_least(rule.min_grade)]
    met = not below
    tail = (
        Text("", "")
        if met
        else Text(
            f"（{_listed(below)} 低于 {rule.min_grade}）",
            f" ({_listed(below).replace('、', ', ')} below {rule.min_grade})",
        )
    )
    verdict = _verdict(met)
    listed = _listed(shown)
    figures = Text(
        f"{listed}{tail.zh} → {verdict.zh}", f"{listed.replace('、', ', ')}{tail.en} → {verdict.en}"
    )
    return Condition("grades", label, figures, met)


def _tenure(rule: Rule, candidate: Candidate, day: dt.date) -> Condition:
    need = rule.min_months_in_post
    label = Text(f"任现职满 {need} 个月", f"at least {need} months in the current post")
    if candidate.since is None:
        figures = Text(
            "没有任职记录，也没有入职日期 → 不符合", "no position record and no hire date → not met"
        )
        return Condition("tenure", label, figures, False)
    months = full_months(candidate.since, day)
    met = months >= need
    verdict = _verdict(met)
    years, rest = divmod(months, 12)
    span = Text(f"{years} 年 {rest} 个月", f"{years} years {rest} months")
    if candidate.since_hire:
        figures = Text(
            f"没有任职变动记录，按入职计 {span.zh}（需要 {need} 个月） → {verdict.zh}",
            f"no change of post recorded; since hire {span.en} ({need} months needed) → {verdict.en}",
        )
    else:
        figures = Text(
            f"自 {candidate.since} 任现职，{span.zh}（需要 {need} 个月） → {verdict.zh}",
            f"in the post since {candidate.since}: {span.en} ({need} months needed) → {verdict.en}",
        )
    return Condition("tenure", label, figures, met)


def _veto(rule: Rule, shown: tuple[Record, ...]) -> Condition:
    span = _span(rule.cycle_kind, rule.cycle_count)
    label = Text(f"{span.zh}无一票否决", f"no veto in {span.en}")
    vetoed = [r for r in shown if r.veto]
    met = not vetoed
    verdict = _verdict(met)
    where = "、".join(r.label for r in vetoed)
    figures = (
        Text(f"没有否决 → {verdict.zh}", f"no veto → {verdict.en}")
        if met
        else Text(f"{where} 有一票否决 → {verdict.zh}", f"veto in {where.replace('、', ', ')} → {verdict.en}")
    )
    return Condition("veto", label, figures, met)


def _plan(candidate: Candidate) -> Condition:
    label = Text("没有进行中的绩效改进计划", "no open improvement plan")
    met = not candidate.open_plan
    verdict = _verdict(met)
    figures = (
        Text(f"没有 → {verdict.zh}", f"none → {verdict.en}")
        if met
        else Text(f"有一项进行中 → {verdict.zh}", f"one is open → {verdict.en}")
    )
    return Condition("plan", label, figures, met)


def eligibility(rule: Rule, candidate: Candidate, day: dt.date) -> Eligibility:
    """Check ``candidate`` against ``rule`` on ``day``: every condition with its figures."""
    shown = window(candidate.records, rule.cycle_kind, rule.cycle_count, day)
    conditions = [_grades(rule, shown)]
    if rule.min_months_in_post:
        conditions.append(_tenure(rule, candidate, day))
    if rule.no_veto:
        conditions.append(_veto(rule, shown))
    if rule.no_open_plan:
        conditions.append(_plan(candidate))
    return Eligibility(tuple(conditions))


# The talent grid's performance axis: the average place of the grades in the recent cycles,
# from 0 (all the worst grade) to 1 (all the best). With A/B/C/D: A = 1, B = 2/3, C = 1/3, D = 0.
HIGH = Fraction(3, 4)
MEDIUM = Fraction(1, 3)
BANDS = ("low", "medium", "high")


@dataclass(frozen=True)
class Band:
    """A person's performance band (low / medium / high, "" without results) and why."""

    level: str
    average: Fraction | None
    figures: Text


def performance_band(records: Sequence[Record]) -> Band:
    """The band of the average grade place of ``records`` (high ≥ 3/4, medium ≥ 1/3, else low)."""
    scored = [(r, r.score) for r in sorted(records, key=lambda r: (r.end, r.label))]
    places = [s for _r, s in scored if s is not None]
    if not places:
        return Band("", None, Text("没有可用的考核结果", "no usable results"))
    average = sum(places, Fraction(0)) / len(places)
    level = "high" if average >= HIGH else "medium" if average >= MEDIUM else "low"
    listed = _listed([r for r, _s in scored])
    shown = plain(round_half_up(Decimal(average.numerator) / Decimal(average.denominator), Decimal("0.01")))
    names = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}[level]
    return Band(
        level,
        average,
        Text(
            f"{listed} → 平均等级位次 {shown}（最好为 1） → {names[0]}",
            f"{listed.replace('、', ', ')} → average grade place {shown} (best is 1) → {names[1]}",
        ),
    )
