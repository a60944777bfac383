"""``jixiao org apply-position-changes``: bring each employee's current post up to the change of
post in force today (a promotion approved ahead of its effective date). Pay and eligibility read
the history by date and never wait for it; the directory and the forms show the current post.
Run daily (``jixiao daily`` does); harmless twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.org.services import position_changes_apply_due


class Command(BaseCommand):
    help = "Apply changes of post whose effective date has come (run daily). 执行已到生效日期的任职变动（每日运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["apply-position-changes"])

    def handle(self, *args: Any, **options: Any) -> None:
        moved = position_changes_apply_due(user=SYSTEM)
        self.stdout.write(f"已按生效日期调整 {moved} 人的岗位。 / {moved} people moved to their new post.")
