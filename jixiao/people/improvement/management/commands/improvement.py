"""``jixiao improvement remind``: tell the head of each improvement plan review date that passed
without a check-in.

Run it once a day, e.g. from cron (at 07:00)::

    0 7 * * *  cd /srv/jixiao && JIXIAO_DATA_DIR=/srv/jixiao/var .venv/bin/jixiao improvement remind

Each overdue review date is told once (the head and the employee's manager; the plan list and
page flag it as long as it stays overdue).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.people.improvement.services import improvement_remind, overdue_reviews


class Command(BaseCommand):
    help = "Remind heads of overdue improvement plan reviews (run daily). 提醒上级改进计划复盘已逾期（每日运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["remind"])

    def handle(self, *args: Any, **options: Any) -> None:
        overdue = len(overdue_reviews())
        count = improvement_remind(user=SYSTEM)
        self.stdout.write(
            f"逾期复盘 {overdue} 个，本次提醒上级 {count} 个。 / {overdue} overdue reviews, {count} reminded now."
        )
