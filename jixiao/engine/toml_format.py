"""Read frameworks, department plans and pay plans from TOML (``docs/formats.md``).

Pure: text in, engine dataclasses out (stdlib ``tomllib``). Numbers that matter are best
written as strings (``"0.05%"``, ``"4000"``, ``"200万"``); TOML floats are accepted through
their shortest decimal text. Every error names the path of the offending value
(``plan.indicators[2].weight``) in Chinese and English.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .formula import FormulaError
from .money import parse_yuan
from .pay import compile_monthly_formula
from .pay_types import (
    EXCLUSIVE_WORDS,
    INCLUSIVE_WORDS,
    AnnualBonusPlan,
    BonusRole,
    BonusTier,
    Bound,
    PayPlan,
    PayStructure,
)
from .toml_plan import indicator_from_table, measure_from_table
from .toml_reader import FormatError, Table
from .types import BonusMode, Category, Framework, Grade, MissingData, Plan, Rater

__all__ = [
    "Document",
    "FormatError",
    "annual_bonus_from_table",
    "detect_kind",
    "framework_from_dict",
    "load_document",
    "load_framework",
    "load_pay",
    "load_plan",
    "parse",
    "parse_bound",
    "pay_from_dict",
    "plan_from_dict",
]

Document = Framework | Plan | PayPlan
_AMOUNT = re.compile(r"^\s*([0-9][0-9,，]*(?:\.[0-9]+)?\s*[万亿]?)\s*元?\s*(.*?)\s*$")
_BETWEEN = re.compile(r"^\s*(.+?)\s*(?:--|—|–|-|~|～|至|到)\s*(.+?)\s*(之间)?\s*$")


def detect_kind(data: Mapping[str, Any]) -> str:
    """Which document a parsed TOML is: ``framework``, ``plan`` or ``pay``."""
    kinds = [k for k in ("framework", "plan", "pay") if k in data]
    if len(kinds) != 1:
        raise FormatError(
            "",
            "文件应只含 [framework]、[plan] 或 [pay] 之一",
            "the file must have exactly one of [framework], [plan] or [pay]",
        )
    return kinds[0]


def parse(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise FormatError("", f"TOML 语法错误：{err}", f"TOML syntax error: {err}") from None


def load_document(text: str) -> Document:
    """Load whichever document ``text`` holds."""
    data = parse(text)
    kind = detect_kind(data)
    if kind == "framework":
        return framework_from_dict(data)
    if kind == "plan":
        return plan_from_dict(data)
    return pay_from_dict(data)


def load_framework(text: str) -> Framework:
    return framework_from_dict(parse(text))


def load_plan(text: str) -> Plan:
    return plan_from_dict(parse(text))


def load_pay(text: str) -> PayPlan:
    return pay_from_dict(parse(text))


def _range(t: Table, key: str, low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    sub = t.table(key, required=False)
    if sub is None:
        return low, high
    return sub.dec("min", low), sub.dec("max", high)


def framework_from_dict(data: Mapping[str, Any]) -> Framework:
    root = Table(data, "")
    t = root.table("framework")
    assert t is not None
    rater_weights = _rater_weights(t)
    categories = _categories(t)
    grades = _grades(t)
    if not grades:
        raise FormatError(t.at("grades"), "至少需要一个等级", "at least one grade is required")
    count_low, count_high = _range(t, "indicators", Decimal(1), Decimal(30))
    weight_low, weight_high = _range(t, "indicator_weight", Decimal(0), Decimal(100))
    dist = t.table("distribution", required=False)
    framework = Framework(
        key=t.text("key"),
        name_zh=t.text("name_zh"),
        name_en=t.text("name_en", ""),
        version=t.integer("version", 1),
        grades=tuple(grades),
        rater_weights=tuple(rater_weights),
        categories=tuple(categories),
        scale_max=t.dec("scale_max", Decimal(100)),
        score_precision=t.dec("score_precision", Decimal("0.01")),
        min_indicators=int(count_low),
        max_indicators=int(count_high),
        min_indicator_weight=weight_low,
        max_indicator_weight=weight_high,
        bonus_cap=t.opt_dec("bonus_cap"),
        deduction_cap=t.opt_dec("deduction_cap"),
        quota_min_group=dist.integer("min_group_size", 10) if dist else 10,
        quota_enforced=dist.flag("enforced") if dist else False,
        cycle_types=t.texts("cycle_types") or ("month", "quarter", "year"),
        missing_data=t.enum("missing_data", MissingData, "block"),
    )
    root.reject_unknown()
    return framework


def _rater_weights(t: Table) -> list[tuple[Rater, Decimal]]:
    raters = t.table("rater_weights")
    assert raters is not None
    weights = []
    for key in raters.names():
        try:
            rater = Rater(key)
        except ValueError:
            raise FormatError(
                raters.at(key),
                "评分人应为 self/manager/peer/committee",
                "raters are self, manager, peer, committee",
            ) from None
        weights.append((rater, raters.dec(key)))
    return weights


def _categories(t: Table) -> list[Category]:
    categories = []
    for c in t.tables("categories"):
        low, high = _range(c, "weight", Decimal(0), Decimal(100))
        categories.append(
            Category(c.text("key"), c.text("name_zh"), low, high, c.flag("required"), c.text("name_en", ""))
        )
    return categories


def _grades(t: Table) -> list[Grade]:
    return [
        Grade(
            g.text("key"),
            g.dec("min_score"),
            g.dec("coefficient"),
            g.text("name_zh", ""),
            g.text("name_en", ""),
            g.opt_dec("quota_max"),
            g.opt_dec("quota_min"),
        )
        for g in t.tables("grades")
    ]


def plan_from_dict(data: Mapping[str, Any]) -> Plan:
    root = Table(data, "")
    t = root.table("plan")
    assert t is not None
    measures = [measure_from_table(m) for m in t.tables("measures")]
    plan = Plan(
        key=t.text("key"),
        name_zh=t.text("name_zh"),
        name_en=t.text("name_en", ""),
        framework=t.text("framework", ""),
        department=t.text("department", ""),
        positions=t.texts("positions"),
        version=t.integer("version", 1),
        measures=tuple(measures),
        indicators=tuple(indicator_from_table(i) for i in t.tables("indicators")),
    )
    root.reject_unknown()
    return plan


def parse_bound(text: str, path: str) -> Bound:
    """``"200万以内"`` → Bound(2 000 000 yuan, inclusive, "以内"); ``"不满300万"`` → exclusive;
    ``"300万"`` or ``"300万之间"`` → unstated."""
    stripped = text.strip()
    for word in sorted((*EXCLUSIVE_WORDS, *INCLUSIVE_WORDS), key=len, reverse=True):
        if stripped.startswith(word):
            text = stripped[len(word) :] + word
            break
    match = _AMOUNT.match(text)
    if not match:
        raise FormatError(
            path, f"“{text}”应为金额加措辞，如“200万以内”", f"{text!r} should be an amount and wording"
        )
    amount, wording = match.group(1).replace(" ", ""), match.group(2)
    try:
        fen = parse_yuan(amount)
    except ValueError:
        raise FormatError(path, f"“{amount}”不是金额", f"{amount!r} is not an amount") from None
    plain_wording = wording.strip("（）() ")
    if plain_wording in ("", "之间"):
        return Bound(fen, None, wording)
    if plain_wording in EXCLUSIVE_WORDS or plain_wording.startswith(EXCLUSIVE_WORDS):
        return Bound(fen, False, wording)
    if plain_wording in INCLUSIVE_WORDS or plain_wording.startswith(INCLUSIVE_WORDS):
        return Bound(fen, True, wording)
    raise FormatError(
        path,
        f"不认识的措辞“{wording}”；含本数用 以上/以下/以内/届满，不含用 不满/超过/以外",
        f"unknown wording {wording!r}: inclusive words are 以上/以下/以内/届满, exclusive 不满/超过/以外",
    )


def _bound(t: Table, key: str) -> Bound | None:
    value = t.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return parse_bound(value, t.at(key))
    if isinstance(value, dict):
        sub = t.table(key)
        assert sub is not None
        inclusive = sub.get("inclusive")
        if inclusive is not None and not isinstance(inclusive, bool):
            raise FormatError(sub.at("inclusive"), "应为 true 或 false", "expected true or false")
        return Bound(sub.money("amount"), inclusive, sub.text("wording", ""))
    raise FormatError(
        t.at(key),
        "应为“200万以内”式的文字或 {amount, inclusive} 表",
        'expected text like "200万以内" or a table {amount, inclusive}',
    )


def _tier(t: Table) -> BonusTier:
    lower, upper = _bound(t, "lower"), _bound(t, "upper")
    if t.has("range"):
        text = t.text("range")
        match = _BETWEEN.match(text)
        if not match:
            raise FormatError(
                t.at("range"),
                f"“{text}”应形如“200万--300万之间”",
                f"{text!r} should look like 200万--300万之间",
            )
        wording = "之间" if match.group(3) else ""
        lower = parse_bound(match.group(1) + wording, t.at("range"))
        upper = parse_bound(match.group(2) + wording, t.at("range"))
    rates_table = t.table("rates", required=False)
    rates = tuple((k, rates_table.dec(k)) for k in rates_table.names()) if rates_table else ()
    return BonusTier(lower, upper, rates, t.opt_dec("department_rate"), t.text("source_text", ""))


def annual_bonus_from_table(t: Table) -> AnnualBonusPlan:
    t.allow("source_text")
    roles = [
        BonusRole(r.text("key"), r.text("name_zh"), r.integer("headcount", 1), r.text("name_en", ""))
        for r in t.tables("roles")
    ]
    return AnnualBonusPlan(
        key=t.text("key"),
        name_zh=t.text("name_zh"),
        name_en=t.text("name_en", ""),
        roles=tuple(roles),
        tiers=tuple(_tier(x) for x in t.tables("tiers")),
        mode=t.enum("mode", BonusMode, "bracket"),
        basis=t.text("basis", "net_profit"),
    )


def pay_from_dict(data: Mapping[str, Any]) -> PayPlan:
    root = Table(data, "")
    t = root.table("pay")
    assert t is not None
    t.allow("source_text")
    formula = t.text("monthly_bonus_formula", "base * completion * coefficient")
    try:
        compile_monthly_formula(formula)
    except FormulaError as err:
        raise FormatError(t.at("monthly_bonus_formula"), err.message_zh, err.message_en) from None
    structures = [
        PayStructure(
            s.text("position"),
            s.text("name_zh"),
            s.money("base_salary"),
            s.money("monthly_bonus_base"),
            s.money("travel_per_day"),
            s.text("annual_bonus_role", ""),
            s.text("name_en", ""),
        )
        for s in t.tables("structures")
    ]
    for s in t.tables("structures"):
        s.allow("source_text")
    bonus = t.table("annual_bonus", required=False)
    pay = PayPlan(
        key=t.text("key"),
        name_zh=t.text("name_zh"),
        name_en=t.text("name_en", ""),
        structures=tuple(structures),
        monthly_bonus_formula=formula,
        annual_bonus=annual_bonus_from_table(bonus) if bonus else None,
        department=t.text("department", ""),
        effective_from=t.text("effective_from", ""),
    )
    root.reject_unknown()
    return pay
