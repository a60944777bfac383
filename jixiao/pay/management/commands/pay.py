"""``jixiao pay run 2026-10 [--release] [--over-budget-reason TEXT]``: compute a month's pay
from its locked cycle (as the system actor, audited), print each department's total, its
bonus pool check and the company total; ``--release`` releases the run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Sum

from jixiao.access.actor import SYSTEM
from jixiao.common.errors import JixiaoError
from jixiao.engine.money import format_yuan
from jixiao.pay.monthly import services as monthly_services
from jixiao.pay.monthly.models import MonthlyPayRun


class Command(BaseCommand):
    help = "Compute (and release) a month's pay. 计算（并发放）月度薪酬。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="compute the month's pay from its locked cycle")
        run.add_argument("month", help="the month, e.g. 2026-10")
        run.add_argument("--release", action="store_true", help="release the computed run")
        run.add_argument("--over-budget-reason", default="", help="needed to release over a bonus pool")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = monthly_services.monthly_pay_run_compute(user=SYSTEM, month=options["month"])
            self.stdout.write(self.summary(run))
            if options["release"]:
                run = monthly_services.monthly_pay_run_release(
                    user=SYSTEM, run=run, over_budget_reason=options["over_budget_reason"]
                )
                self.stdout.write(f"已发放 released: {run.month} (run {run.pk})")
        except JixiaoError as error:
            details = "".join(f"\n  - {p.zh} / {p.en}" for p in error.problems)
            raise CommandError(error.bilingual() + details) from None

    def summary(self, run: MonthlyPayRun) -> str:
        totals = {
            row["department"]: (row["n"], row["total"])
            for row in run.lines.values("department").annotate(n=Count("pk"), total=Sum("total_fen"))
        }
        out = [f"{run.month} 月度薪酬 monthly pay (run {run.pk}, {run.get_status_display()})"]
        for budget in run.budget:
            people, total = totals.get(budget["department"], (0, 0))
            flag = (
                f"  超出奖金池 OVER POOL by {format_yuan(budget['over_fen'])}" if budget["over_fen"] else ""
            )
            out.append(
                f"  {budget['name']}: {people} 人 people, 合计 total {format_yuan(total)}; "
                f"奖金 bonus {format_yuan(budget['bonus_fen'])} / 奖金池 pool {format_yuan(budget['pool_fen'])}{flag}"
            )
        out.append(f"公司合计 company total: {format_yuan(run.total_fen)} ({run.lines.count()} 人 people)")
        return "\n".join(out)
