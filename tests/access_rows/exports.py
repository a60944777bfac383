"""Access-matrix rows for the Excel downloads of lists (issue 14 item 6). A download that names
people is a POST with a stated reason: it answers 405 to the matrix's GET (its access is proved
per persona by the tests beside each list); a download that names nobody is a GET under the
page's own access."""

from __future__ import annotations

from typing import Any

from tests.test_access_matrix import APPRAISAL_READERS, NO_ARGS, cycle, everyone, only

ROWS: dict[str, Any] = {
    "cycles:results_export": (lambda p: {"pk": 1}, everyone(405)),
    # Counts per grade and department, no names: HR and the committee, as the calibration page.
    "cycles:distribution_export": (cycle, only(APPRAISAL_READERS)),
    "appeals:list_export": (NO_ARGS, everyone(405)),
    "concerns:list_export": (NO_ARGS, everyone(405)),
    "suggestions:list_export": (NO_ARGS, everyone(405)),
    "org:employees_export": (NO_ARGS, everyone(405)),
}
