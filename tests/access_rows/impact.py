"""Access-matrix rows for the plan impact preview (issue 14, SPEC §5): the persona sales
department's draft plan. HR, the committee and the sales head see its preview; the system
administrator reads the plan but no scores (403); nobody else learns the draft exists (404)."""

from __future__ import annotations

from typing import Any

from tests.test_access_matrix import everyone, hidden

IMPACT_VIEWERS = {"hr", "hrsup", "leader", "deputy", "member", "head"}


def draft(p: Any) -> dict[str, Any]:
    return {"pk": p.plans["draft"].pk}


ROWS: dict[str, Any] = {
    "impact:plan": (draft, {**hidden(IMPACT_VIEWERS), "admin": 403}),
    "impact:plan_section": (draft, {**hidden(IMPACT_VIEWERS), "admin": 403}),
    "impact:plan_xlsx": (draft, everyone(405)),
}
