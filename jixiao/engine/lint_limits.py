"""Checks that a plan states what happens at its limits (写明边界规则): a deduction that can use
up its weight says where it stops (``floor``), and a formula that divides by a measure that can
be 0 says what a zero divisor means (``on_zero`` or a guard in the formula). Called by
:func:`jixiao.engine.lint.lint_plan` for each indicator."""

from __future__ import annotations

from .findings import B, Collector, W
from .findings import p as _p
from .formula import FormulaError, tokenize
from .types import Indicator, Kind, Measure, Plan


def check_limits(c: Collector, plan: Plan, ind: Indicator, where: str) -> None:
    if ind.kind is Kind.DEDUCTION:
        _deduction_floor(c, plan, ind, where)
    if ind.kind is Kind.DERIVED and ind.on_zero is None:
        _zero_divisors(c, plan, ind, where)


def _measure(plan: Plan, key: str) -> Measure | None:
    try:
        return plan.measure(key)
    except KeyError:
        return None


def _deduction_floor(c: Collector, plan: Plan, ind: Indicator, where: str) -> None:
    """A weighted deduction with no stated floor whose count × points per incident can exceed
    its weight. (A deduction outside the weighted 100 is limited by ``max_points``; an unset
    one is ``plan.cap_missing``.)"""
    per = ind.points_per_event
    if ind.weight <= 0 or ind.floor is not None or per is None or per <= 0:
        return
    measure = _measure(plan, ind.measure_key)
    most = measure.bounds()[1] if measure is not None else None
    if most is not None and most * per <= ind.weight:
        return
    label = measure.name_zh if measure is not None else ind.measure_key
    stated = measure.max if measure is not None else None
    count_zh = f"“{label}”次数没有上限" if stated is None else f"“{label}”最多可达 {_p(stated)} 次"
    count_en = (
        f"{ind.measure_key!r} has no max" if stated is None else f"{ind.measure_key!r} can reach {_p(stated)}"
    )
    uses_up = ind.weight / per
    c.add(
        "plan.floor_unstated",
        f"{where}.floor",
        W,
        f"扣分项没有写明扣分下限：每次扣 {_p(per)} 分，{_p(uses_up)} 次即扣完权重 {_p(ind.weight)} 分，"
        f"而{count_zh}；再扣下去是停在 0 分还是扣到别的指标，细则没有说",
        f"the deduction states no floor: at {_p(per)} points an incident, {_p(uses_up)} incidents use "
        f"up its weight of {_p(ind.weight)}, and {count_en}; the plan does not say "
        "whether it stops at 0 or eats into other indicators",
        f"设定扣分下限（如最多扣 {_p(ind.weight)} 分：floor = 0，扣完为止）",
        f"State a floor (e.g. at most {_p(ind.weight)} points deducted: floor = 0, deduct until nothing is left)",
        ind.key,
    )


def _zero_divisors(c: Collector, plan: Plan, ind: Indicator, where: str) -> None:
    for name in zero_divisors(ind.formula):
        measure = _measure(plan, name)
        if measure is not None:
            low, high, _ = measure.bounds()
            if not low <= 0 <= high:
                continue
        label = measure.name_zh if measure is not None else name
        c.add(
            "plan.zero_divisor",
            f"{where}.formula",
            B,
            f"公式“{ind.formula}”除以“{label}”（{name}），它可以为 0，细则却没有写明为 0 时怎么算",
            f"the formula {ind.formula!r} divides by {name!r}, which can be 0, and the plan does not say "
            "what happens then",
            f'写明除数为零的规则：on_zero = "missing"（按缺数据处理，适用框架的缺数据规则），'
            f"或在公式里写条件，如 if({name} > 0, …, 1)；若它不可能为 0，给数据项“{label}”设 min",
            f'State the rule for a zero divisor: on_zero = "missing" (counts as missing data, the '
            f"framework's missing-data rule applies), or a guard in the formula such as "
            f"if({name} > 0, …, 1); if it can never be 0, give measure {name!r} a min",
            ind.key,
        )


def zero_divisors(formula: str) -> list[str]:
    """The bare names ``formula`` divides by (``orders / inquiries`` → ``inquiries``), each once,
    leaving out those an ``if()`` condition tests (``if(inquiries > 0, …)``): that formula states
    its own rule. A divisor that is an expression (``max(inquiries, 1)``) is not a bare name."""
    try:
        toks = [(t.kind, t.text) for t in tokenize(formula)]
    except FormulaError:
        return []  # the formula check reports it
    names: dict[str, None] = {}
    for slash, name, after in zip(toks, toks[1:], toks[2:], strict=False):
        if slash == ("op", "/") and name[0] == "name" and after != ("op", "("):
            names[name[1]] = None
    tested = _tested(toks)
    return [name for name in names if name not in tested]


def _tested(toks: list[tuple[str, str]]) -> set[str]:
    """Every name inside the condition (first argument) of an ``if()`` call."""
    out: set[str] = set()
    for i, tok in enumerate(toks[:-1]):
        if tok != ("name", "if") or toks[i + 1] != ("op", "("):
            continue
        depth = 0
        for kind, text in toks[i + 1 :]:
            if kind == "op":
                depth += {"(": 1, ")": -1}.get(text, 0)
                if depth == 0 or (depth == 1 and text == ","):
                    break
            elif kind == "name":
                out.add(text)
    return out
