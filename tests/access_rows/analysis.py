"""Access-matrix rows for the analysis pages (统计分析, issue 14 item 3): HR, the committee and the
department heads read the department pages (a head only their department's figures: proved by
jixiao/reports/analysis/tests); a person's trend is for HR, the committee, the person's head and
the person (others 404); everyone reads their own. A download naming people is a POST with a
stated reason: it answers 405 to the matrix's GET once access is granted."""

from __future__ import annotations

from typing import Any

from tests.test_access_matrix import APPRAISAL_READERS, NO_ARGS, everyone, hidden, only

ANALYSTS = APPRAISAL_READERS | {"head", "other_head"}
PERSON_READERS = APPRAISAL_READERS | {"head", "employee"}


def _employee(p: Any) -> dict[str, Any]:
    return {"pk": p.employees["employee"].pk}


ROWS: dict[str, Any] = {
    "analysis:index": (NO_ARGS, only(ANALYSTS)),
    "analysis:trend": (NO_ARGS, only(ANALYSTS)),
    "analysis:compare": (NO_ARGS, only(ANALYSTS)),
    "analysis:kpi": (NO_ARGS, only(ANALYSTS)),
    "analysis:team": (NO_ARGS, only(ANALYSTS)),
    "analysis:drift": (NO_ARGS, only(ANALYSTS)),
    "analysis:trend_xlsx": (NO_ARGS, only(ANALYSTS)),
    "analysis:compare_xlsx": (NO_ARGS, only(ANALYSTS)),
    "analysis:team_xlsx": (NO_ARGS, only(ANALYSTS)),
    "analysis:drift_xlsx": (NO_ARGS, only(ANALYSTS)),
    # The values per person: a POST with a reason.
    "analysis:kpi_xlsx": (NO_ARGS, only(ANALYSTS, 405)),
    "analysis:person": (_employee, hidden(PERSON_READERS)),
    # The person's own download is a plain GET; anyone else's asks for a reason (405 to GET).
    "analysis:person_xlsx": (_employee, {**hidden(PERSON_READERS, 405), "employee": 200}),
    "analysis:mine": (NO_ARGS, everyone()),
    "analysis:mine_xlsx": (NO_ARGS, everyone()),
}
