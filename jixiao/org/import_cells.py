"""The cell checks of the organisation import (:mod:`jixiao.org.importer`): each reads one cell
of a row, and on a bad value records a problem naming the sheet, row and column (its header as
the template writes it, without the ``*``) in Chinese and English, and answers None."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jixiao.common.errors import JixiaoError, Problem
from jixiao.common.spreadsheet import parse_date, parse_yes_no
from jixiao.common.validators import parse_count

from .models import Department


class RowChecks:
    """Problems and counts of one import run, and the checks of its cells."""

    def __init__(self, problems: list[Problem], counts: dict[str, int]) -> None:
        self.problems = problems
        self.counts = counts

    # -- problems ----------------------------------------------------------
    def problem(self, sheet: str, row: int, column: str, zh: str, en: str) -> None:
        self.problems.append(Problem(zh=zh, en=en, where=f"“{sheet}”", row=row, column=column.rstrip("*")))

    def required(self, sheet: str, row: int, values: dict[str, str], column: str) -> str:
        value = values.get(column, "")
        if not value:
            self.problem(sheet, row, column, "必填项为空。", "This required cell is empty.")
        return value

    def save(self, sheet: str, row: int, call: Any) -> Any:
        try:
            return call()
        except JixiaoError as error:
            for item in error.problems or [Problem(zh=error.zh, en=error.en)]:
                self.problem(sheet, row, item.column or item.where, item.zh, item.en)
            return None

    # -- cells -------------------------------------------------------------
    def count(self, sheet: str) -> None:
        self.counts[sheet] = self.counts.get(sheet, 0) + 1

    def department_ref(self, sheet: str, row: int, code: str, column: str) -> Department | None:
        if not code:
            self.problem(sheet, row, column, "必填项为空。", "This required cell is empty.")
            return None
        department = Department.objects.filter(code=code).first()
        if department is None:
            self.problem(sheet, row, column, f"找不到部门编码“{code}”。", f"No department '{code}'.")
        return department

    def integer(
        self, sheet: str, row: int, values: dict[str, Any], column: str, default: int | None
    ) -> int | None:
        text = values.get(column, "")
        if not text:
            if default is None:
                self.problem(sheet, row, column, "必填项为空。", "This required cell is empty.")
            return default
        try:
            # Sort orders, head counts and levels: whole numbers, bounded so the column can hold them.
            return parse_count(text, field=column, maximum=1_000_000)
        except JixiaoError:
            self.problem(
                sheet,
                row,
                column,
                f"“{text}”不是 0 到 1,000,000 之间的整数。",
                f"'{text}' is not a whole number from 0 to 1,000,000.",
            )
            return None

    def yes_no(self, sheet: str, row: int, values: dict[str, Any], column: str) -> bool | None:
        text = values.get(column, "")
        answer = parse_yes_no(text)
        if answer is None:
            self.problem(
                sheet, row, column, f"“{text}”应为“是”或“否”。", f"'{text}' must be 是 (yes) or 否 (no)."
            )
        return answer

    def choice(
        self, sheet: str, row: int, values: dict[str, Any], column: str, options: dict[str, str], default: str
    ) -> str | None:
        text = values.get(column, "")
        if not text:
            return default
        if text in options:
            return options[text]
        allowed = "、".join(options)
        self.problem(
            sheet, row, column, f"“{text}”不是可选值（{allowed}）。", f"'{text}' is not one of {allowed}."
        )
        return None

    def date(self, sheet: str, row: int, values: dict[str, Any], column: str) -> dt.date | str | None:
        text = values.get(column, "")
        if not text:
            return ""
        date = parse_date(text)
        if date is None:
            self.problem(
                sheet,
                row,
                column,
                f"“{text}”不是日期，应写作 2026-01-31。",
                f"'{text}' is not a date; write 2026-01-31.",
            )
        return date
