"""Access-matrix rows kept beside the main table, one module per piece of work (so that work on
different wings does not edit one file). Each module defines ``ROWS`` like ``MATRIX``; the
matrix merges them and refuses a URL named twice."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def collect() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        rows: dict[str, Any] = importlib.import_module(f"{__name__}.{info.name}").ROWS
        twice = merged.keys() & rows.keys()
        assert not twice, f"{info.name} names {sorted(twice)} again"
        merged |= rows
    return merged
