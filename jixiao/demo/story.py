"""The demo's calendar: every date is relative to the day the demo is loaded.

The story always has the same shape, whatever the day: the current month is open for scoring,
the month before it is published (in its appeal window), the five before that are locked. A
month is named by its offset from the current month (0 = this month, -1 = last month …), so
the same seed gives the same people, scores and pay amounts on any day; only the months move.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

CLOSED = (-6, -5, -4, -3, -2, -1)  # closed months, oldest first; the last one is published
PUBLISHED = -1
CALIBRATED = -2  # the committee moved two grades in calibration (校准) this month
INTERVIEWED = (-3, -2)  # the heads' feedback interviews (绩效面谈)
PAID = (-6, -5, -4, -3)  # monthly pay released; -2 is locked and waits for HR
FIRST = CLOSED[0]  # the first month of the plans in force


@dataclass(frozen=True)
class Story:
    today: dt.date

    def first(self, offset: int) -> dt.date:
        """The first day of the month ``offset`` months from this one."""
        index = self.today.year * 12 + self.today.month - 1 + offset
        return dt.date(index // 12, index % 12 + 1, 1)

    def label(self, offset: int) -> str:
        return f"{self.first(offset):%Y-%m}"

    def day(self, offset: int, day: int) -> dt.date:
        """Day ``day`` of that month (the last day when the month is shorter)."""
        first = self.first(offset)
        return first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))

    def last(self, offset: int) -> dt.date:
        return self.day(offset, 31)

    def moment(self, offset: int, day: int, hour: int = 10) -> dt.datetime:
        """A working hour of that day in the company's time zone."""
        return dt.datetime.combine(self.day(offset, day), dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def profit_year(self) -> int:
        """The last full calendar year: its net profit and annual bonus are in the demo."""
        return self.today.year - 1


def story() -> Story:
    return Story(timezone.localdate())
