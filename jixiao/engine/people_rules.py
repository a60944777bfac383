"""Rules on results that propose (奖惩规则, SPEC §7): a small condition language, its lint and
its evaluation on a person's history. Pure: no database, no ``eval``.

A rule says *when* (a condition on a person's most recent results of one cycle kind) and *what*
to propose (a reward or penalty with an amount in fen, a commendation, an improvement plan, a
talk with the head). The condition language, one condition per rule::

    grade = D                        本期为 D
    grade in {A} for 2 in a row      连续 2 期为 A
    grade in {C, D} for 3 in a row   连续 3 期为 C 或 D
    total < 60                       本期总分不满 60 分  (also <=, >, >=, =)
    veto                             本期被一票否决
    veto for 2 in a row              连续 2 期被一票否决

A history is the person's results in the consecutive cycles of the rule's kind, most recent
first (``None`` where they had no result in that cycle: it breaks a run). A rule fires when the
first ``count`` entries all exist and all meet the condition; the entries that fired it are its
trace. :func:`lint_rules` finds rules that can never fire, rules of the same kind of action that
fire together, a reward and a penalty that fire together, and rewards above the second-approval
threshold; a blocking finding keeps a rule set from being activated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .findings import B, Collector, Finding, W
from .money import format_yuan, plain
from .text import Text

__all__ = [
    "MAX_CONDITION_LENGTH", "MAX_RUN", "Action", "Condition", "ConditionError", "Entry", "GradeBand",
    "LintScope", "RuleSpec", "action_text", "explain", "fires", "lint_rules", "parse_condition",
]  # fmt: skip

MAX_CONDITION_LENGTH = 200  # characters of one condition
MAX_RUN = 12  # the longest run a rule may ask for: the history window read for a rule
MAX_COUNT = 99  # what the parser accepts; lint says a count above MAX_RUN can never be met
MAX_TOTAL = Decimal(1000)  # the largest total a condition may name (lint checks the framework's)
MAX_GRADES = 12  # grades in one set
_GRADE = re.compile(r"[A-Za-z][A-Za-z0-9+\-]{0,7}")
_NUMBER = re.compile(r"-?[0-9]{1,4}(\.[0-9]{1,2})?")
_COUNT = re.compile(r"^(?P<atom>.+?)\s+for\s+(?P<count>\S+)\s+in\s+a\s+row$", re.IGNORECASE)
_GRADE_ATOM = re.compile(r"^grade\s*(?P<op>=|in\b)\s*(?P<rest>.*)$", re.IGNORECASE)
_TOTAL_ATOM = re.compile(r"^total\s*(?P<op><=|>=|<|>|=)\s*(?P<rest>.*)$", re.IGNORECASE)
_WIDE = str.maketrans(
    {"｛": "{", "｝": "}", "，": ",", "、": ",", "＜": "<", "＞": ">", "＝": "=", "　": " "}
)
_ZERO = Decimal(0)


class Action(StrEnum):
    """What a rule proposes (建议的措施)."""

    REWARD = "reward"  # 表彰并奖励 (money)
    PENALTY = "penalty"  # 处罚 (money)
    COMMENDATION = "commendation"  # 表彰 (no money)
    IMPROVEMENT = "improvement"  # 绩效改进计划
    TALK = "talk"  # 部门负责人谈话


MONEY = frozenset({Action.REWARD, Action.PENALTY})
POSITIVE = frozenset({Action.REWARD, Action.COMMENDATION})
NEGATIVE = frozenset({Action.PENALTY, Action.IMPROVEMENT, Action.TALK})


class Subject(StrEnum):
    GRADE = "grade"
    TOTAL = "total"
    VETO = "veto"


class ConditionError(ValueError):
    """A condition that is not in the language: ``message`` says why and how to write it."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en or message.zh)
        self.message = message


EXAMPLES = Text(
    "例如 grade = D、grade in {C, D} for 3 in a row、total < 60、veto",
    "e.g. grade = D, grade in {C, D} for 3 in a row, total < 60, veto",
)


def _refuse(zh: str, en: str) -> ConditionError:
    return ConditionError(Text(f"{zh}（{EXAMPLES.zh}）", f"{en} ({EXAMPLES.en})"))


# -- the history a condition is read on ---------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One result of the person: its id, the cycle's label, grade, total (points) and veto."""

    result_id: int
    cycle: str
    grade: str
    total: Decimal
    vetoed: bool = False


History = Sequence[Entry | None]  # most recent cycle first; None: no result in that cycle


# -- conditions ---------------------------------------------------------------------------

# How each comparison is said: Chinese legal convention (以上、以下 include; 不满、超过 exclude).
_OP_WORDS: dict[str, tuple[str, str]] = {
    "<": ("不满 {v} 分", "below {v}"),
    "<=": (" {v} 分以下", "{v} or below"),
    ">": ("超过 {v} 分", "above {v}"),
    ">=": (" {v} 分以上", "{v} or above"),
    "=": ("恰为 {v} 分", "exactly {v}"),
}


@dataclass(frozen=True)
class Condition:
    """One parsed condition: a test on one result, met by ``count`` results in a row."""

    subject: Subject
    count: int = 1
    grades: tuple[str, ...] = ()
    op: str = ""
    value: Decimal = _ZERO

    def holds(self, entry: Entry) -> bool:
        """Whether one result meets the test."""
        if self.subject is Subject.GRADE:
            return entry.grade in self.grades
        if self.subject is Subject.VETO:
            return entry.vetoed
        return _compare(entry.total, self.op, self.value)

    @property
    def text(self) -> str:
        """The condition as the language writes it (one canonical form)."""
        if self.subject is Subject.GRADE:
            atom = (
                f"grade = {self.grades[0]}"
                if len(self.grades) == 1
                else f"grade in {{{', '.join(self.grades)}}}"
            )
        elif self.subject is Subject.TOTAL:
            atom = f"total {self.op} {plain(self.value)}"
        else:
            atom = "veto"
        return atom if self.count == 1 else f"{atom} for {self.count} in a row"

    def test_text(self) -> Text:
        """The test on one result, in words: “为 C 或 D”, “总分不满 60 分”, “被一票否决”."""
        if self.subject is Subject.GRADE:
            return Text(f"为 {' 或 '.join(self.grades)}", f"graded {' or '.join(self.grades)}")
        if self.subject is Subject.VETO:
            return Text("被一票否决", "vetoed")
        zh, en = _OP_WORDS[self.op]
        value = plain(self.value)
        return Text("总分" + zh.format(v=value), "a total " + en.format(v=value))

    def describe(self) -> Text:
        """The condition in words: “连续 2 期为 A” / “graded A 2 cycles in a row”."""
        test = self.test_text()
        if self.count == 1:
            return Text(f"本期{test.zh}", f"{test.en} this cycle")
        return Text(f"连续 {self.count} 期{test.zh}", f"{test.en} {self.count} cycles in a row")


def _compare(total: Decimal, op: str, value: Decimal) -> bool:
    if op == "<":
        return total < value
    if op == "<=":
        return total <= value
    if op == ">":
        return total > value
    if op == ">=":
        return total >= value
    return total == value


def parse_condition(text: str) -> Condition:
    """Parse one condition of the language, or raise :class:`ConditionError` saying why."""
    raw = str(text or "")
    if len(raw) > MAX_CONDITION_LENGTH:
        raise _refuse(
            f"条件最多 {MAX_CONDITION_LENGTH} 个字符（现在 {len(raw)} 个）",
            f"a condition has at most {MAX_CONDITION_LENGTH} characters (now {len(raw)})",
        )
    clean = " ".join(raw.translate(_WIDE).replace("≤", "<=").replace("≥", ">=").replace("==", "=").split())
    if not clean:
        raise _refuse("请写条件", "write a condition")
    count, atom = 1, clean
    found = _COUNT.match(clean)
    if found:
        atom, count = found["atom"].strip(), _count(found["count"])
    return _atom(atom, count)


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or len(text) > 2 or not 1 <= int(text) <= MAX_COUNT:
        raise _refuse(
            f"“for … in a row”中的次数应为 1 到 {MAX_COUNT} 的整数",
            f"the count in “for … in a row” must be a whole number from 1 to {MAX_COUNT}",
        )
    return int(text)


def _atom(atom: str, count: int) -> Condition:
    if atom.lower() == "veto":
        return Condition(Subject.VETO, count)
    grade = _GRADE_ATOM.match(atom)
    if grade:
        return Condition(Subject.GRADE, count, grades=_grades(grade["rest"].strip(), grade["op"] != "="))
    total = _TOTAL_ATOM.match(atom)
    if total:
        return Condition(Subject.TOTAL, count, op=total["op"], value=_number(total["rest"].strip()))
    raise _refuse(
        "条件应以 grade、total 或 veto 开头",
        "a condition starts with grade, total or veto",
    )


def _grades(rest: str, is_set: bool) -> tuple[str, ...]:
    if is_set:
        if not (rest.startswith("{") and rest.endswith("}")):
            raise _refuse("等级集合应写在花括号里：{C, D}", "a set of grades is written in braces: {C, D}")
        items = [item.strip() for item in rest[1:-1].split(",")]
    else:
        items = [rest]
    if not items or any(not _GRADE.fullmatch(item) for item in items):
        raise _refuse(
            "等级应为字母开头、最多 8 个字符的编码，如 A、B+",
            "a grade is a code of at most 8 characters starting with a letter, such as A or B+",
        )
    unique = tuple(dict.fromkeys(items))
    if len(unique) > MAX_GRADES:
        raise _refuse(f"一个条件最多列 {MAX_GRADES} 个等级", f"a condition lists at most {MAX_GRADES} grades")
    return unique


def _number(text: str) -> Decimal:
    if not _NUMBER.fullmatch(text):
        raise _refuse(
            "总分应为数字，最多两位小数，如 60 或 59.5",
            "a total is a number with at most two decimals, such as 60 or 59.5",
        )
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise _refuse("总分应为数字", "a total is a number") from None
    if abs(value) > MAX_TOTAL:
        raise _refuse(
            f"总分应在 0 到 {plain(MAX_TOTAL)} 之间", f"a total lies between 0 and {plain(MAX_TOTAL)}"
        )
    return value


# -- rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """A rule as the engine reads it: on which cycle kind, when, what, and how much (fen)."""

    condition: Condition
    action: Action
    amount_fen: int = 0
    cycle_kind: str = "month"
    name: str = ""

    def describe(self) -> Text:
        """The rule in one line: “连续 2 期为 A → 表彰并奖励 500.00 元”."""
        return Text.join([self.condition.describe(), action_text(self.action, self.amount_fen)], " → ", " → ")


def action_text(action: Action | str, amount_fen: int = 0) -> Text:
    """What a rule proposes, in words (the amount in yuan for a reward or penalty)."""
    yuan = format_yuan(amount_fen)
    words = {
        Action.REWARD: Text(f"表彰并奖励 {yuan} 元", f"commendation with a reward of {yuan} yuan"),
        Action.PENALTY: Text(f"处罚 {yuan} 元", f"a penalty of {yuan} yuan"),
        Action.COMMENDATION: Text("表彰", "a commendation"),
        Action.IMPROVEMENT: Text("启动绩效改进计划", "an improvement plan"),
        Action.TALK: Text("由上级谈话", "a talk with the head"),
    }
    return words.get(Action(action), Text(str(action)))


def fires(condition: Condition, history: History) -> tuple[Entry, ...] | None:
    """The entries that fire ``condition`` on ``history`` (most recent first), or None."""
    window = list(history[: condition.count])
    if len(window) < condition.count:
        return None
    found: list[Entry] = []
    for entry in window:
        if entry is None or not condition.holds(entry):
            return None
        found.append(entry)
    return tuple(found)


def explain(condition: Condition, entries: Sequence[Entry]) -> tuple[Text, ...]:
    """The trace of a firing: the condition, then each result that met it, most recent first."""
    test = condition.test_text()
    lines = [Text(f"条件：{condition.describe().zh}", f"Condition: {condition.describe().en}")]
    for entry in entries:
        veto = Text("，被一票否决", ", vetoed") if entry.vetoed else Text("")
        total = plain(entry.total)
        lines.append(
            Text(
                f"{entry.cycle}：等级 {entry.grade}，总分 {total}{veto.zh} —— {test.zh}",
                f"{entry.cycle}: grade {entry.grade}, total {total}{veto.en} — {test.en}",
            )
        )
    return tuple(lines)


# -- lint ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeBand:
    """A grade of the framework with the totals it covers: from ``low`` up to (not including)
    ``high`` (None: the best grade, up to the framework's maximum)."""

    key: str
    low: Decimal
    high: Decimal | None = None


@dataclass(frozen=True)
class LintScope:
    """What rules are checked against: the framework's grades (best first), the largest total a
    result can have (None: unknown), and the second-approval threshold for money (fen)."""

    grades: tuple[GradeBand, ...]
    total_max: Decimal | None
    second_approval_fen: int


@dataclass(frozen=True)
class _Span:
    """Totals from ``low`` to ``high``; each end included or not; None: unbounded."""

    low: Decimal | None
    low_in: bool
    high: Decimal | None
    high_in: bool

    def meet(self, other: _Span) -> _Span:
        low, low_in = _tighter(self.low, self.low_in, other.low, other.low_in, higher=True)
        high, high_in = _tighter(self.high, self.high_in, other.high, other.high_in, higher=False)
        return _Span(low, low_in, high, high_in)

    @property
    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and not (self.low_in and self.high_in))

    def covers(self, other: _Span) -> bool:
        """Whether every total of ``other`` is in this span."""
        return self.meet(other) == other


def _tighter(
    a: Decimal | None, a_in: bool, b: Decimal | None, b_in: bool, *, higher: bool
) -> tuple[Decimal | None, bool]:
    if a is None:
        return b, b_in
    if b is None:
        return a, a_in
    if a == b:
        return a, a_in and b_in
    keep_a = (a > b) if higher else (a < b)
    return (a, a_in) if keep_a else (b, b_in)


_ANY = _Span(None, False, None, False)


def _test_span(condition: Condition) -> _Span:
    if condition.subject is not Subject.TOTAL:
        return _ANY
    v = condition.value
    return {
        "<": _Span(None, False, v, False),
        "<=": _Span(None, False, v, True),
        ">": _Span(v, False, None, False),
        ">=": _Span(v, True, None, False),
        "=": _Span(v, True, v, True),
    }[condition.op]


def _possible(scope: LintScope) -> _Span:
    return _Span(_ZERO, True, scope.total_max, scope.total_max is not None)


def _band(band: GradeBand) -> _Span:
    return _Span(band.low, True, band.high, False)


@dataclass(frozen=True)
class _Region:
    """The results a condition's test admits: a set of grades (None: any), a span of totals."""

    grades: frozenset[str] | None
    span: _Span
    veto: bool = False  # only vetoed results


def _region(condition: Condition, scope: LintScope) -> _Region:
    grades = frozenset(condition.grades) if condition.subject is Subject.GRADE else None
    veto = condition.subject is Subject.VETO
    return _Region(grades, _test_span(condition).meet(_possible(scope)), veto)


def _satisfiable(region: _Region, scope: LintScope) -> bool:
    """Whether some result (a grade of the framework with a total in its band) is in ``region``."""
    if region.span.empty:
        return False
    if region.grades is None:
        return True
    bands = [b for b in scope.grades if b.key in region.grades]
    return any(not region.span.meet(_band(b)).empty for b in bands)


def _meet(a: _Region, b: _Region) -> _Region:
    if a.grades is None or b.grades is None:
        grades = a.grades if b.grades is None else b.grades
    else:
        grades = a.grades & b.grades
    return _Region(grades, a.span.meet(b.span), a.veto or b.veto)


def _name(index: int, rule: RuleSpec) -> str:
    return rule.name or f"#{index + 1}"


def lint_rules(rules: Sequence[RuleSpec], scope: LintScope) -> list[Finding]:
    """Check a rule set: each rule on its own, then every pair of rules on the same cycle kind."""
    c = Collector()
    if not rules:
        c.add("rules.empty", "rules", B, "规则集中没有规则", "the rule set has no rule",
              "至少添加一条规则", "add at least one rule")  # fmt: skip
    reachable = [_check_rule(c, i, rule, scope) for i, rule in enumerate(rules)]
    for i, first in enumerate(rules):
        for j in range(i + 1, len(rules)):
            second = rules[j]
            if reachable[i] and reachable[j] and first.cycle_kind == second.cycle_kind:
                _check_pair(c, (i, first), (j, second), scope)
    return c.findings


def _check_rule(c: Collector, i: int, rule: RuleSpec, scope: LintScope) -> bool:
    """The single-rule checks; return whether the rule can fire at all."""
    where, item = f"rules[{i}].condition", _name(i, rule)
    reachable = _check_grades(c, where, item, rule.condition, scope)
    if rule.condition.count > MAX_RUN:
        reachable = False
        c.add("rules.count", where, B,
              f"要求连续 {rule.condition.count} 期，超过规则可读取的最近 {MAX_RUN} 期结果，永远不会触发",
              f"asks for {rule.condition.count} cycles in a row, more than the {MAX_RUN} most recent results "
              "a rule reads: it can never fire",
              f"把次数改为 1 到 {MAX_RUN}", f"use a count from 1 to {MAX_RUN}", item)  # fmt: skip
    region = _region(rule.condition, scope)
    if rule.condition.subject is Subject.TOTAL and region.span.empty:
        reachable = False
        top = "?" if scope.total_max is None else plain(scope.total_max)
        c.add("rules.total", where, B,
              f"总分只能在 0 到 {top} 之间，“{rule.condition.describe().zh}”永远不会满足",
              f"a total lies between 0 and {top}: “{rule.condition.describe().en}” can never hold",
              "改用 0 到最高分之间的分数", "use a total between 0 and the maximum", item)  # fmt: skip
    elif reachable and _always(region, scope):
        c.add("rules.always", where, W,
              "每个结果都满足这个条件：规则会对所有人触发", "every result meets this condition: the rule fires for everyone",
              "收窄条件", "narrow the condition", item)  # fmt: skip
    _check_amount(c, i, rule, scope)
    return reachable


def _check_grades(c: Collector, where: str, item: str, condition: Condition, scope: LintScope) -> bool:
    if condition.subject is not Subject.GRADE:
        return True
    known = [b.key for b in scope.grades]
    unknown = [g for g in condition.grades if g not in known]
    if not unknown:
        return True
    listed = "、".join(known) or "—"
    c.add("rules.grade", where, B,
          f"等级 {'、'.join(unknown)} 不在考核总框架的等级（{listed}）中",
          f"grade {', '.join(unknown)} is not one of the framework's grades ({', '.join(known) or '—'})",
          f"只用 {listed}", f"use only {', '.join(known) or 'the framework grades'}", item)  # fmt: skip
    return len(unknown) < len(condition.grades)


def _always(region: _Region, scope: LintScope) -> bool:
    if region.veto:
        return False
    if region.grades is not None:
        return bool(scope.grades) and {b.key for b in scope.grades} <= region.grades
    return region.span.covers(_possible(scope))


def _check_amount(c: Collector, i: int, rule: RuleSpec, scope: LintScope) -> None:
    where, item = f"rules[{i}].amount", _name(i, rule)
    if rule.action in MONEY and rule.amount_fen <= 0:
        c.add("rules.amount", where, B, "奖励或处罚须写明大于 0 的金额", "a reward or penalty needs an amount above 0",
              "填写金额（元）", "enter the amount in yuan", item)  # fmt: skip
    elif rule.action not in MONEY and rule.amount_fen != 0:
        c.add("rules.amount", where, B, "只有奖励和处罚带金额", "only a reward or a penalty carries an amount",
              "清空金额，或改为奖励/处罚", "clear the amount, or make it a reward or penalty", item)  # fmt: skip
    elif rule.action in MONEY and rule.amount_fen > scope.second_approval_fen:
        limit = format_yuan(scope.second_approval_fen)
        c.add("rules.second_approval", where, W,
              f"金额超过 {limit} 元：每条建议须由考核小组组长批准并写明理由",
              f"over {limit} yuan: each proposal needs the committee leader's approval with a reason",
              "确认金额，或降到限额以内", "confirm the amount, or lower it to the limit", item)  # fmt: skip


def _check_pair(c: Collector, a: tuple[int, RuleSpec], b: tuple[int, RuleSpec], scope: LintScope) -> None:
    """Two rules on the same cycle kind fire together when one result can meet both tests (the
    shorter run is part of the longer one; the longer's older results need only meet its own)."""
    (i, first), (j, second) = a, b
    together = _meet(_region(first.condition, scope), _region(second.condition, scope))
    if not _satisfiable(together, scope):
        return
    where, item = f"rules[{j}].condition", _name(j, second)
    other = _name(i, first)
    kinds = {first.action, second.action}
    if first.action == second.action:
        c.add("rules.overlap", where, W,
              f"与规则 {other} 可能对同一结果同时触发，同一人会得到两条{action_text(first.action).zh}建议",
              f"can fire together with rule {other}: one person would get two proposals of "
              f"{action_text(first.action).en}",
              "合并两条规则，或收窄其中一条", "merge the two rules, or narrow one", item)  # fmt: skip
    elif kinds == {Action.REWARD, Action.PENALTY}:
        c.add("rules.contradiction", where, B,
              f"与规则 {other} 矛盾：同样的结果既会被奖励又会被处罚",
              f"contradicts rule {other}: the same results would be both rewarded and penalised",
              "修改其中一条的条件，使两者不能同时满足", "change one condition so that both cannot hold", item)  # fmt: skip
    elif kinds & POSITIVE and kinds & NEGATIVE:
        c.add("rules.mixed", where, W,
              f"与规则 {other} 可能同时触发：同一人既被表彰又被要求改进",
              f"can fire together with rule {other}: one person commended and asked to improve at once",
              "确认这是有意的，或收窄条件", "confirm it is intended, or narrow a condition", item)  # fmt: skip
