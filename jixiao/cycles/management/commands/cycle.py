"""``jixiao cycle close 2026-10`` (and ``publish``, ``lock`` …): a cycle's transitions from the shell."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.access.actor import SYSTEM
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.lifecycle.workflow import CYCLE_WORKFLOW

ALIASES = {"close": "close_scoring"}


class Command(BaseCommand):
    help = "Move a cycle to its next stage; 'close' computes every result. 考核周期操作。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["close", *CYCLE_WORKFLOW.by_action])
        parser.add_argument("label", help="cycle label, e.g. 2026-10")

    shown: tuple[str, float] = ("", 0.0)

    def progress(self, phase: str, done: int, total: int) -> None:
        """Print the close's progress: each phase, every stored chunk, else at most twice a second."""
        now = time.monotonic()
        if phase == self.shown[0] and phase != "storing" and now - self.shown[1] < 0.5 and done < total:
            return
        self.shown = (phase, now)
        names = {"reading": "读取 / reading", "computing": "计算 / computing", "storing": "保存 / storing"}
        self.stdout.write(f"  {names.get(phase, phase)} {done}/{total}")
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = Cycle.objects.filter(label=options["label"]).first()
        if cycle is None:
            raise CommandError(f"没有周期 {options['label']} / no cycle {options['label']}")
        action = ALIASES.get(options["action"], options["action"])
        started = time.perf_counter()
        try:
            if action == "close_scoring":
                cycle = services.cycle_close_scoring(user=SYSTEM, cycle=cycle, progress=self.progress)
            else:
                cycle = services.cycle_transition(user=SYSTEM, cycle=cycle, action=action)
        except JixiaoError as error:
            raise CommandError(error.bilingual()) from error
        took = time.perf_counter() - started
        self.stdout.write(
            f"周期 {cycle.label}：{cycle.get_state_display()}（{cycle.results.count()} 个结果，{took:.2f} 秒）"
            f" / cycle {cycle.label}: {cycle.state} ({cycle.results.count()} results, {took:.2f} s)"
        )
