"""The plan editor keeps the fields added with issue 11 when it saves a row: an indicator's
``direction`` and ``on_zero`` (the row does not show them), its ``floor`` (the row shows it),
and the measures' ``kind``/``min``/``max`` (the row edits indicators only); so does the Excel
export read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from jixiao.plans import exchange
from jixiao.plans.adapters import engine_plan
from jixiao.plans.forms import IndicatorForm
from jixiao.plans.models import Plan

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _posted(indicator: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the browser posts for a row: only the fields the row shows."""
    shown = {**indicator, **changes}
    data = {k: v for k, v in shown.items() if k in IndicatorForm.base_fields and k not in {"levels", "bands"}}
    data["levels"] = "\n".join(
        f"{lv['key']}|{lv['name_zh']}|{lv['points']}" for lv in shown.get("levels", [])
    )
    data["bands"] = "\n".join(
        f"{b.get('lower', '')},{b.get('upper', '')},{b['points']}" for b in shown.get("bands", [])
    )
    assert "direction" not in data and "on_zero" not in data
    return data


def _save(client: Any, plan: Plan, index: int, **changes: Any) -> dict[str, Any]:
    before = plan.content["indicators"][index]
    response = client.post(
        reverse("plans:indicator_save", args=[plan.pk, index]),
        {**_posted(before, **changes), "plan_version": plan.version},
        **HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:500]
    plan.refresh_from_db()
    indicator: dict[str, Any] = plan.content["indicators"][index]
    return indicator


def _with(plan: Plan, index: int, **fields: Any) -> Plan:
    indicators = [dict(ind) for ind in plan.content["indicators"]]
    indicators[index].update(fields)
    measures = [dict(m) for m in plan.content["measures"]]
    measures[1].update(kind="count", min="0", max="5000")
    Plan.objects.filter(pk=plan.pk).update(
        content={**plan.content, "indicators": indicators, "measures": measures}
    )
    plan.refresh_from_db()
    return plan


def test_saving_a_derived_row_keeps_its_direction_and_zero_rule(personas: Any, client_for: Any) -> None:
    draft = _with(personas.plans["draft"], 0, direction="higher")
    assert draft.content["indicators"][0]["on_zero"] == "missing"  # from the template
    after = _save(client_for("head"), draft, 0, weight="25")
    assert after["weight"] == "25"
    assert after["direction"] == "higher" and after["on_zero"] == "missing"
    inquiries = draft.content["measures"][1]
    assert (inquiries["kind"], inquiries["min"], inquiries["max"]) == ("count", "0", "5000")
    conversion = engine_plan(draft).indicator("conversion")
    assert conversion.direction == "higher" and conversion.on_zero is not None


def test_saving_a_deduction_row_keeps_its_floor_and_emptying_it_unstates_it(
    personas: Any, client_for: Any
) -> None:
    draft = _with(personas.plans["draft"], 3, direction="lower")
    assert draft.content["indicators"][3]["key"] == "errors"
    after = _save(client_for("head"), draft, 3, points_per_event="4")
    assert after["floor"] == "0" and after["points_per_event"] == "4" and after["direction"] == "lower"
    assert engine_plan(draft).indicator("errors").floor == 0
    after = _save(client_for("head"), draft, 3, floor="")
    assert "floor" not in after and after["direction"] == "lower"
    assert engine_plan(draft).indicator("errors").floor is None


def test_the_excel_export_keeps_direction_floor_and_zero_rule(personas: Any, tmp_path: Path) -> None:
    plan = _with(personas.plans["draft"], 1, direction="higher")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(exchange.to_xlsx(plan))
    again = exchange.content_from_xlsx(path)
    assert again == plan.content
    assert again["indicators"][1]["direction"] == "higher" and again["indicators"][0]["on_zero"] == "missing"
    assert again["indicators"][3]["floor"] == "0"
