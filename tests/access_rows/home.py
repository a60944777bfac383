"""Access-matrix rows for this wing (see tests/access_rows/__init__.py).

The home page adds no URL: "home" is in MATRIX (everyone logged in), and the to-dos link to
existing lists with a filter parameter (?todo=1, ?left=1, ?unread=1) that changes no access rule;
jixiao/reports/tests/test_home_todos.py walks those filters with hostile values per persona."""

from __future__ import annotations

from typing import Any

ROWS: dict[str, Any] = {}
