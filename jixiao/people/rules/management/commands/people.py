"""``jixiao people propose <cycle label>``: run the active rules on a locked cycle now and create
the proposals not made before (running it again makes nothing twice).

The same run happens by itself when a cycle locks (a background job) and from HR's button on
the proposals page; this command is for a cycle locked before the rules were activated.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import parse_cycle_label
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.people.rules.services import proposals_run


class Command(BaseCommand):
    help = "Run the active rules on a locked cycle and create their proposals. 在锁定的周期上运行奖惩规则，生成建议。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["propose"])
        parser.add_argument("cycle", help="the cycle's label: 2026-10, 2026-Q4 or 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            label = parse_cycle_label(options["cycle"], field="cycle")
            cycle = Cycle.objects.filter(label=label).first()
            if cycle is None:
                raise JixiaoError(zh=f"没有周期 {label}。", en=f"There is no cycle {label}.", status=404)
            count = proposals_run(user=SYSTEM, cycle=cycle)
        except JixiaoError as error:
            raise CommandError(error.bilingual()) from None
        self.stdout.write(
            f"周期 {cycle.label}：新提出 {count} 条建议。 / Cycle {cycle.label}: {count} new proposals."
        )
