"""Template filters for codes shown to people: ``{{ ind.kind|label:"kind" }}``,
``{{ ind.raters|labels:"rater" }}``, ``{{ f.where|lint_path }}``, ``{{ e.action|action }}``,
``{{ ind.target|quantity:ind.unit }}`` — all from :mod:`jixiao.common.labels`."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.common import labels as table
from jixiao.common.text import named as text_named
from jixiao.common.text import say

register = template.Library()


@register.filter(name="label")
def label(code: Any, domain: str) -> str:
    """The label of ``code`` in ``domain`` (kind, category, source, rater, bonus_mode, role …)."""
    return table.label(code, domain)


@register.filter(name="labels")
def labels(codes: Any, domain: str) -> str:
    """Several codes of one domain, labelled and joined."""
    return table.labels(codes or (), domain)


@register.filter(name="source")
def source(code: Any) -> str:
    """Where a correction comes from (``appeal:12``) as people name it: “申诉 AP-12”."""
    return say(table.source_label(code))


@register.filter(name="lint_path")
def lint_path(path: Any) -> str:
    """Where a lint finding points, in words (``tiers[1].lower`` → 第 2 档下限)."""
    return say(table.lint_path(str(path or "")))


@register.filter(name="action")
def action(code: Any) -> str:
    """An audit action in words (``plan.hr_return`` → 考核方案：人力资源部退回)."""
    return say(table.action_label(str(code)))


@register.filter(name="quantity")
def quantity(value: Any, unit: Any = "") -> str:
    """A figure with its unit; a ``%`` fraction as a percent (0.30 → 30 %)."""
    return table.quantity(value, str(unit or ""))


@register.filter(name="category")
def category(code: Any, framework_content: Any = None) -> str:
    """An indicator's category by the framework's own name for it (``content["categories"]``),
    else by the labels table."""
    for item in (
        (framework_content or {}).get("categories", []) if isinstance(framework_content, dict) else []
    ):
        if isinstance(item, dict) and item.get("key") == code:
            return text_named(item, "name_zh", "name_en")
    return table.label(code, "category")


@register.filter(name="described")
def described(obj: Any) -> str:
    """The description of an indicator or rubric level in the page's language, when it has one."""
    return text_named(obj, "description_zh", "description_en")


_VALUE_DOMAINS = {
    "kind": "kind",
    "score_as": "kind",
    "source": "source",
    "category": "category",
    "mode": "bonus_mode",
    "annual_bonus_role": "bonus_role",
}


@register.filter(name="field_value")
def field_value(value: Any, field: Any) -> str:
    """A stored field's value as people read it: codes by label (kind, source, raters …)."""
    if value is None:
        return ""
    name = str(field).rpartition(".")[2]
    if name == "raters" and isinstance(value, list | tuple):
        return table.labels(value, "rater")
    if name == "cycle_types" and isinstance(value, list | tuple):
        return table.labels(value, "cycle_type")
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    domain = _VALUE_DOMAINS.get(name)
    if domain and isinstance(value, str):
        return table.label(value, domain)
    if name == "kind" and isinstance(value, str):  # a measure's kind (count, percent …)
        return table.label(value, "measure_kind")
    if isinstance(value, bool):
        return table.label("yes" if value else "no", "field")
    return str(value)


@register.filter(name="field_path")
def field_path(path: Any) -> str:
    """A changed field of a document in words: ``name_en`` → 英文名称, ``tiers[1].lower`` →
    第 2 档下限 (a diff's 字段 column)."""
    return say(table.lint_path(str(path or "")))


@register.filter(name="target")
def target(indicator: Any) -> str:
    """An indicator's target with its unit (a ``%`` target as a percent), from its stored dict."""
    if not isinstance(indicator, dict):
        return table.quantity(getattr(indicator, "target", None), getattr(indicator, "unit", "") or "")
    return table.quantity(indicator.get("target"), str(indicator.get("unit") or ""))


@register.filter(name="named_zh")
def named_zh(obj: Any) -> str:
    """The name of something stored with ``name_zh``/``name_en`` (an indicator, a level, a
    category, a grade), in the page's language."""
    return text_named(obj, "name_zh", "name_en")
