"""``jixiao demo [--reset | --if-empty]``: load the demo company built from the source document."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.demo.company import DEMO_PASSWORD, LOGINS
from jixiao.demo.loader import demo_is_loaded, demo_load, demo_reset


class Command(BaseCommand):
    help = "Load the demo company (演示公司). --reset rebuilds it from scratch; --if-empty loads only into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="delete everything (audit log included) and reload"
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already has data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["reset"]:
            demo_reset()
        elif demo_is_loaded():
            if options["if_empty"]:
                self.stdout.write("演示数据已存在，跳过 / demo data already present, skipped")
                return
            self.stderr.write(
                "数据库已有数据；用 --reset 重建 / the database has data; use --reset to rebuild"
            )
            raise SystemExit(1)
        counts = demo_load()
        self.stdout.write(
            "演示公司已载入 / demo company loaded: "
            + ", ".join(f"{name} {count}" for name, count in counts.items())
        )
        self.stdout.write(f"登录 / logins ({DEMO_PASSWORD}): " + " ".join(LOGINS))
