"""The demo's reports: published monthly reports for the closed months (filled by issue 14)."""

from __future__ import annotations

from .story import Story


def load_reports(day: Story) -> None:
    """Generate and publish the monthly report of each closed month."""
