"""Editing a plan keeps every field the editor does not show (issue 11 item 5): the row editor
merges the row into the stored indicator instead of replacing it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.plans import services
from jixiao.plans.forms import IndicatorForm
from jixiao.plans.models import Plan

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _english(plan: Plan, index: int) -> Plan:
    """Give the indicator at ``index`` English names (on it and on its rubric levels)."""
    indicators = [dict(ind) for ind in plan.content["indicators"]]
    indicator = indicators[index]
    indicator.update(name_en="Conversion rate", description_en="Orders per inquiry")
    indicator["levels"] = [
        {"key": "A", "name_zh": "优", "name_en": "Excellent", "points": "100"},
        {"key": "B", "name_zh": "良", "name_en": "Good", "points": "80"},
    ]
    Plan.objects.filter(pk=plan.pk).update(content={**plan.content, "indicators": indicators})
    plan.refresh_from_db()
    return plan


def _posted(indicator: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the browser posts: only the fields the row shows."""
    shown = {**indicator, **changes}
    data = {k: v for k, v in shown.items() if k in IndicatorForm.base_fields and k not in {"levels", "bands"}}
    data["levels"] = "\n".join(
        f"{lv['key']}|{lv['name_zh']}|{lv['points']}" for lv in shown.get("levels", [])
    )
    data["bands"] = ""
    assert "name_en" not in data
    return data


def test_editing_the_weight_in_the_editor_keeps_the_english_names(personas: Any, client_for: Any) -> None:
    draft = _english(personas.plans["draft"], 0)
    before = draft.content["indicators"][0]
    response = client_for("head").post(
        reverse("plans:indicator_save", args=[draft.pk, 0]),
        {**_posted(before, weight="25"), "plan_version": draft.version},
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:500]
    draft.refresh_from_db()
    after = draft.content["indicators"][0]
    assert after["weight"] == "25"
    assert after["name_en"] == "Conversion rate" and after["description_en"] == "Orders per inquiry"
    assert [lv.get("name_en") for lv in after["levels"]] == ["Excellent", "Good"]


def test_a_field_the_row_shows_and_the_user_empties_is_removed() -> None:
    old = {"key": "k", "name_zh": "指标", "kind": "ratio", "target": "10", "name_en": "KPI"}
    new = {"key": "k", "name_zh": "指标", "kind": "ratio"}
    merged = services.indicator_merged(old, new, IndicatorForm.base_fields)
    assert merged == {"key": "k", "name_zh": "指标", "kind": "ratio", "name_en": "KPI"}
