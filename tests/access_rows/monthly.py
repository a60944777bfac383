"""Access-matrix rows for this wing (see tests/access_rows/__init__.py)."""

from __future__ import annotations

from typing import Any

ROWS: dict[str, Any] = {}
