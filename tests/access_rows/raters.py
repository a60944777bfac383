"""Access-matrix rows for the rater analysis (评分者分析, issue 14 item 4): HR, the committee and
department heads open the list (a head sees the raters of their department's people only: proved
by jixiao/integrity/raters/tests); a rater's page is for those who may see some of their ratings
(the other department's head: 404, the rater's existence as a rater is not revealed); the
Excel download names raters, so it is a POST with a stated reason (405 to the matrix's GET)."""

from __future__ import annotations

from typing import Any

from tests.test_access_matrix import APPRAISAL_READERS, NO_ARGS, only

ANALYSTS = APPRAISAL_READERS | {"head", "other_head"}


def _head_as_rater(p: Any) -> dict[str, Any]:
    # The persona head rated the employee and the colleague (sales) in both persona cycles.
    return {"pk": p.employees["head"].pk}


ROWS: dict[str, Any] = {
    "integrity:raters": (NO_ARGS, only(ANALYSTS)),
    "integrity:raters_xlsx": (NO_ARGS, only(ANALYSTS, 405)),
    "integrity:rater_detail": (_head_as_rater, {**only(ANALYSTS), "other_head": 404}),
}
