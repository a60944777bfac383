"""``jixiao audit verify [--anchor SEQ:HASH]`` and ``jixiao audit anchor``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.audit.models import AuditHead
from jixiao.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the hash-chained audit log, or print its head to record as an anchor. 校验审计日志。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="walk the chain; exit 1 at the first broken event")
        verify.add_argument("--anchor", help="SEQ:HASH printed earlier by 'jixiao audit anchor'")
        sub.add_parser("anchor", help="print the newest SEQ:HASH to keep outside the database")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            head = AuditHead.objects.filter(pk=1).first()
            self.stdout.write(f"{head.last_seq if head else 0}:{head.last_hash if head else ''}")
            return
        anchor = _parse_anchor(options.get("anchor"))
        report = audit_chain_verify(anchor=anchor)
        if report.ok:
            self.stdout.write(
                f"审计日志完好 / audit log intact: {report.checked} events, head {report.last_hash}"
            )
            return
        raise CommandError(
            f"审计日志在第 {report.broken_seq} 条被破坏：{report.problem.zh}\n"
            f"audit log broken at seq {report.broken_seq}: {report.problem.en}"
        )


def _parse_anchor(text: str | None) -> tuple[int, str] | None:
    if not text:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError("--anchor 格式应为 SEQ:HASH / --anchor must look like SEQ:HASH")
    return int(seq), digest
