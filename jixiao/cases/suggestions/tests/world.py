"""Suggestions for tests (and the access matrix)."""

from __future__ import annotations

from typing import Any

from jixiao.cases.suggestions import services
from jixiao.cases.suggestions.models import Suggestion


def suggestion(p: Any, *, author: str = "employee") -> Suggestion:
    return services.suggestion_file(
        user=p[author], topic="scoring_process", title="互评太多", text="互评项目太多，建议减少到三项。"
    )
