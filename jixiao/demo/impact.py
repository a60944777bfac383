"""The demo's plan under review with a new version, for the plan-impact preview (issue 14)."""

from __future__ import annotations

from .story import Story


def load_impact(day: Story) -> None:
    """Submit a new version of a department plan, so the committee sees its impact."""
