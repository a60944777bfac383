"""Engine objects from a cycle's snapshot of its rules, and exact numbers from stored text."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from jixiao.engine import toml_format
from jixiao.engine import types as engine
from jixiao.engine.indicators import RatingCell

from .models import CyclePlan


@lru_cache(maxsize=64)
def _load(plan_json: str, framework_json: str) -> tuple[engine.Plan, engine.Framework]:
    plan = toml_format.plan_from_dict({"plan": json.loads(plan_json)})
    framework = toml_format.framework_from_dict({"framework": json.loads(framework_json)})
    return plan, framework


def rules(snapshot: CyclePlan) -> tuple[engine.Plan, engine.Framework]:
    """The plan and framework a snapshot holds, parsed once per distinct content."""
    return _load(
        json.dumps(snapshot.plan_content, sort_keys=True),
        json.dumps(snapshot.framework_content, sort_keys=True),
    )


def decimal_or_none(text: Any) -> Decimal | None:
    """Exact decimal from user text (``"1,234.5"``, ``" 97 "``); None when it is not a finite number."""
    if text is None:
        return None
    cleaned = str(text).strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rating_cell(text: str) -> RatingCell:
    """A stored score as the engine reads it: points when numeric, else a rubric level key."""
    number = decimal_or_none(text)
    return number if number is not None else text


def measure_keys(plan: engine.Plan) -> list[str]:
    """Every measure a plan reads: declared measures, then indicators' own measures."""
    keys = [m.key for m in plan.measures]
    for ind in plan.indicators:
        if not ind.is_rated and ind.kind is not engine.Kind.DERIVED and ind.measure_key not in keys:
            keys.append(ind.measure_key)
    return keys


def measure_labels(plan: engine.Plan) -> dict[str, tuple[str, str]]:
    """``{measure key: (name_zh, unit)}`` for every measure the plan reads."""
    labels = {m.key: (m.name_zh, m.unit) for m in plan.measures}
    for ind in plan.indicators:
        labels.setdefault(ind.measure_key, (ind.name_zh, ind.unit))
    return {k: labels.get(k, (k, "")) for k in measure_keys(plan)}


def manual_measures(plan: engine.Plan) -> list[str]:
    """Measures entered by people (event counts such as errors or praise), not imported."""
    declared = {m.key: str(m.source) for m in plan.measures}
    by_indicator = {i.measure_key: str(i.source) for i in plan.indicators}
    return [k for k in measure_keys(plan) if declared.get(k, by_indicator.get(k)) == "manual"]
