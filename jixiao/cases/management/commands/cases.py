"""``jixiao cases escalate``: tell the committee deputy of every case step past its deadline.

Run it once a day, e.g. from cron (at 07:00)::

    0 7 * * *  cd /srv/jixiao && JIXIAO_DATA_DIR=/srv/jixiao/var .venv/bin/jixiao cases escalate

Each late step is escalated once (the same step with the same due date is not told again).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.cases.selectors import overdue_items
from jixiao.cases.services import cases_escalate


class Command(BaseCommand):
    help = "Escalate overdue case steps to the committee deputy (run daily). 逾期案件上报副组长（每日运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["escalate"])

    def handle(self, *args: Any, **options: Any) -> None:
        items = overdue_items()
        count = cases_escalate(user=SYSTEM, items=items)
        self.stdout.write(
            f"逾期环节 {len(items)} 个，本次上报副组长 {count} 个。"
            f" / {len(items)} overdue steps, {count} escalated to the deputy now."
        )
