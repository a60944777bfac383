"""``jixiao bonus simulate FILE.toml``: the annual bonus what-if simulator on the command line.

``--profit 1990000,2000000,3000000,5000001`` (yuan; ``200万`` works too) or
``--from A --to B --step S``; ``--mode bracket|progressive|both`` to compare the modes.
Prints each role's bonus (per person), the department sum (roles × headcount) and the plan's
stated department total at each profit, then the cliffs. A thin wrapper over
``jixiao.engine.bonus``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.engine.bonus import cliffs, profit_range, resolve_tiers, what_if
from jixiao.engine.money import format_wan, format_yuan, parse_yuan
from jixiao.engine.pay_types import AnnualBonusPlan
from jixiao.engine.toml_format import FormatError, load_pay
from jixiao.engine.types import BonusMode

MAX_ROWS = 10_000


class Command(BaseCommand):
    help = "Simulate a pay plan's annual bonus over profits. 年度奖金模拟。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="each role's bonus at each profit")
        simulate.add_argument("file", help="pay plan TOML with [pay.annual_bonus]")
        simulate.add_argument(
            "--profit", help="comma-separated net profits in yuan, e.g. 1990000,2000000,300万"
        )
        simulate.add_argument("--from", dest="start", help="first profit of a range (yuan)")
        simulate.add_argument("--to", dest="stop", help="last profit of a range (yuan)")
        simulate.add_argument("--step", help="range step (yuan)")
        simulate.add_argument(
            "--mode",
            choices=["bracket", "progressive", "both"],
            help="bracket (全额累进) or progressive (超额累进); default: the plan's own",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            pay = load_pay(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"无法读取 cannot read {path}: {error.strerror}") from None
        except FormatError as error:
            raise CommandError(f"{path}: {error.path}: {error.message_zh} / {error.message_en}") from None
        plan = pay.annual_bonus
        if plan is None:
            raise CommandError(f"{path}: 没有年度奖金方案 / no [pay.annual_bonus] table")
        profits = _profits(options)
        mode = options.get("mode")
        modes = (
            [BonusMode.BRACKET, BonusMode.PROGRESSIVE]
            if mode == "both"
            else [BonusMode(mode) if mode else plan.mode]
        )
        for m in modes:
            self.stdout.write(self.table(plan, profits, m))
            self.stdout.write(self.cliff_lines(plan, m))

    def table(self, plan: AnnualBonusPlan, profits: list[int], mode: BonusMode) -> str:
        resolved = resolve_tiers(plan)
        head = ["净利润 profit", "档位 tier"]
        head += [
            f"{r.name_zh} {r.name_en or r.key}" + (f" (每人 each ×{r.headcount})" if r.headcount > 1 else "")
            for r in plan.roles
        ]
        head += ["部门合计 dept. sum", "方案所述 stated"]
        rows = [head]
        for result in what_if(plan, profits, mode):
            tier = (
                "—"
                if result.tier is None
                else resolved[result.tier].render_zh().replace("（含本数）", "").replace("（不含本数）", "")
            )
            row = [format_yuan(result.profit), tier]
            row += [format_yuan(fen) for _, fen in result.per_role]
            row += [
                format_yuan(result.department_sum),
                "—" if result.department_stated is None else format_yuan(result.department_stated),
            ]
            rows.append(row)
        title = {
            BonusMode.BRACKET: "全额累进 bracket (whole profit × tier rate)",
            BonusMode.PROGRESSIVE: "超额累进 progressive (each slice at its own rate)",
        }[mode]
        return f"{plan.name_zh} — {title}\n" + _grid(rows)

    def cliff_lines(self, plan: AnnualBonusPlan, mode: BonusMode) -> str:
        found = cliffs(plan, mode)
        if not found:
            return "没有悬崖 / no cliffs\n"
        names = {r.key: r.name_zh for r in plan.roles} | {"department": "部门合计"}
        lines = ["悬崖 cliffs (one more fen of profit):"]
        for cliff in found:
            jumps = ", ".join(
                f"{names[k]} {'+' if y >= x else ''}{format_yuan(y - x)}" for k, x, y in cliff.jumps
            )
            lines.append(
                f"  {format_wan(cliff.bound)}: {format_yuan(cliff.last)} → {format_yuan(cliff.first)}: {jumps}"
            )
        return "\n".join(lines) + "\n"


def _profits(options: dict[str, Any]) -> list[int]:
    try:
        if options.get("profit"):
            return [parse_yuan(p) for p in str(options["profit"]).split(",") if p.strip()]
        if options.get("start") and options.get("stop") and options.get("step"):
            values = profit_range(
                parse_yuan(options["start"]), parse_yuan(options["stop"]), parse_yuan(options["step"])
            )
        else:
            raise CommandError(
                "请给出 --profit，或 --from/--to/--step / give --profit, or --from, --to and --step"
            )
    except ValueError as error:
        raise CommandError(f"金额无效 / invalid amount: {error}") from None
    if len(values) > MAX_ROWS:
        raise CommandError(f"最多 {MAX_ROWS} 行 / at most {MAX_ROWS} rows: use a larger --step")
    return values


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _grid(rows: list[list[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [
            cell + " " * (w - _width(cell)) if i < 2 else " " * (w - _width(cell)) + cell
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"
