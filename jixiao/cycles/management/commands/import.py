"""``jixiao import actuals FILE --cycle 2026-10 [--valid-rows-only]``: KPI actuals from Excel or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.common.errors import JixiaoError
from jixiao.common.spreadsheet import stream_rows
from jixiao.cycles.entry.imports import actuals_import
from jixiao.cycles.lifecycle.models import Cycle


class Command(BaseCommand):
    help = "Import data into a cycle. 导入考核数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        actuals = sub.add_parser(
            "actuals", help="KPI actuals: 工号 | 数据项 | 实际值 (xlsx or CSV, UTF-8/GB18030/GBK)"
        )
        actuals.add_argument("file")
        actuals.add_argument("--cycle", required=True, help="cycle label, e.g. 2026-10")
        actuals.add_argument(
            "--valid-rows-only", action="store_true", help="import the valid rows, skip the rest"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = Cycle.objects.filter(label=options["cycle"]).first()
        if cycle is None:
            raise CommandError(f"没有周期 {options['cycle']} / no cycle {options['cycle']}")
        try:
            rows = stream_rows(Path(options["file"]))
            report = actuals_import(
                user=SYSTEM, cycle=cycle, rows=rows, valid_rows_only=options["valid_rows_only"]
            )
        except JixiaoError as error:
            for problem in error.problems:
                self.stderr.write(f"{problem.location()}: {problem.zh} / {problem.en}")
            raise CommandError(error.bilingual()) from error
        for problem in report.problems:
            self.stderr.write(f"{problem.location()}: {problem.zh} / {problem.en}")
        if report.invalid > len(report.problems):
            more = report.invalid - len(report.problems)
            self.stderr.write(f"……另有 {more} 处错误 / … and {more} more problems")
        if options["verbosity"] >= 2:
            phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in report.seconds.items())
            self.stdout.write(f"用时 / took: {phases}")
        self.stdout.write(
            f"已导入 {report.written} 条，跳过 {report.skipped} 条 / imported {report.written}, skipped {report.skipped}"
        )
