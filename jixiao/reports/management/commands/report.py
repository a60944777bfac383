"""``jixiao report monthly 2026-10 [--xlsx] [--pdf] [--out DIR] [--conclusion TEXT] [--publish]``:
generate the month's report (绩效考核月报) as the system, by the same service as HR's button and
its background job; write the workbook and the PDF to ``DIR``; optionally set the conclusion
and publish. A month that is not one, or a published month, is one sentence and exit code 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.common.errors import JixiaoError
from jixiao.reports.monthly import files, services
from jixiao.reports.monthly.sections import report_sections


class Command(BaseCommand):
    help = "Generate the monthly report (绩效考核月报) and write its workbook and PDF. 生成绩效考核月报。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["monthly"])
        parser.add_argument("month", help="the month: 2026-10")
        parser.add_argument("--xlsx", action="store_true", help="write the Excel workbook")
        parser.add_argument("--pdf", action="store_true", help="write the PDF")
        parser.add_argument("--out", default=".", help="the folder to write the files to (default: here)")
        parser.add_argument("--conclusion", default=None, help="the conclusion's text (a draft only)")
        parser.add_argument("--publish", action="store_true", help="publish the report after generating it")

    def handle(self, *args: Any, **options: Any) -> None:
        every: tuple[files.Kind, ...] = ("xlsx", "pdf")
        kinds = tuple(k for k in every if options[k])
        out = Path(options["out"])
        try:
            if not out.is_dir():
                raise JixiaoError(
                    zh=f"文件夹 {out} 不存在。", en=f"The folder {out} does not exist.", status=400
                )
            report = services.report_generate(user=SYSTEM, month=options["month"], render=())
            if options["conclusion"] is not None:
                report = services.report_conclusion_save(
                    user=SYSTEM, report=report, conclusion=options["conclusion"], version=report.version
                )
            if options["publish"]:
                report = services.report_publish(user=SYSTEM, report=report, version=report.version)
            sections = report_sections(report.snapshot, report.conclusion)
            written: list[str] = []
            for kind in kinds:
                target = out / files.file_name(report, kind)
                target.write_bytes(files.stored(report, sections, kind))
                written.append(str(target))
        except JixiaoError as error:
            raise CommandError(error.bilingual(), returncode=2) from None
        state = "已发布 / published" if report.is_published else "草稿 / draft"
        self.stdout.write(f"{report.month} 绩效考核月报 / monthly report: {state}")
        for name in written:
            self.stdout.write(name)
