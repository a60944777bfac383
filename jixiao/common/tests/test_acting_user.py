"""Services and selectors take a typed acting user (issue 10, item 7).

mypy cannot tell ``Any`` from a real type, so this reads the source: no service or selector
module declares ``user: Any``. They take ``jixiao.access.actor.ActingUser``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNTYPED = re.compile(r"\buser: Any\b")


def _service_and_selector_modules() -> list[Path]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if path.stem.startswith(("services", "selectors")) or path.parent.name in {"services", "selectors"}:
            found.append(path)
    return found


def test_there_are_services_and_selectors_to_check() -> None:
    assert len(_service_and_selector_modules()) > 10


def test_no_service_or_selector_takes_an_untyped_user() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _service_and_selector_modules()
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if UNTYPED.search(line)
    ]
    assert offenders == [], "take user: ActingUser (jixiao.access.actor), not Any: " + ", ".join(offenders)
