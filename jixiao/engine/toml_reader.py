"""Typed reading of TOML tables that names the path of every bad value (for toml_format)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .money import parse_rate, parse_yuan


class FormatError(ValueError):
    """A TOML document that does not match the format; ``path`` says where."""

    def __init__(self, path: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{path}: {message_en}")
        self.path = path
        self.message_zh = message_zh
        self.message_en = message_en


class Table:
    """A TOML table with its path, and typed getters that raise :class:`FormatError`.

    Every getter marks its key as read; :meth:`reject_unknown` then refuses any key or table
    the format did not read (a misspelt ``wieght`` is an error naming it, never ignored)."""

    def __init__(self, data: Mapping[str, Any], path: str) -> None:
        self.data = data
        self.path = path
        self._read: set[str] = set()
        self._children: list[Table] = []

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = None) -> Any:
        """The raw value of ``key`` (marked as read)."""
        self._read.add(key)
        return self.data.get(key, default)

    def names(self) -> list[str]:
        """Every key of a free-form table (rates by role, rater weights), all marked as read."""
        self._read.update(self.data)
        return list(self.data)

    def allow(self, *keys: str) -> None:
        """Keys the format defines for people only (``source_text``, comments as data)."""
        self._read.update(keys)

    def unknown(self) -> list[str]:
        """Paths of the keys no getter read, in this table and every table read from it."""
        found = [self.at(k) for k in self.data if k not in self._read]
        for child in self._children:
            found.extend(child.unknown())
        return found

    def reject_unknown(self) -> None:
        found = self.unknown()
        if found:
            names = ", ".join(found)
            raise FormatError(
                found[0],
                f"格式中没有定义这些键：{names}。请检查拼写（见 docs/formats.md），或删除它们",
                f"the format defines no such key: {names}. Check the spelling (docs/formats.md) or remove it",
            )

    def _child(self, value: Mapping[str, Any], path: str) -> Table:
        """The table at ``path`` read from this one (the same object when read twice)."""
        for child in self._children:
            if child.path == path:
                return child
        table = Table(value, path)
        self._children.append(table)
        return table

    def has(self, key: str) -> bool:
        return key in self.data

    def text(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if value is None:
            raise FormatError(self.at(key), "缺少此项", "this value is required")
        if not isinstance(value, str):
            raise FormatError(self.at(key), "应为文字", "expected a string")
        return value

    def integer(self, key: str, default: int | None = None) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FormatError(self.at(key), "应为整数", "expected an integer")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise FormatError(self.at(key), "应为 true 或 false", "expected true or false")
        return value

    def dec(self, key: str, default: Decimal | None = None) -> Decimal:
        value = self.opt_dec(key)
        if value is None:
            if default is None:
                raise FormatError(self.at(key), "缺少此项", "this value is required")
            return default
        return value

    def opt_dec(self, key: str) -> Decimal | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise FormatError(self.at(key), "应为数字", "expected a number")
        text = str(value).strip()
        try:
            if text.endswith(("%", "％", "‰")):
                return parse_rate(text)
            return Decimal(text)
        except (InvalidOperation, ValueError):
            raise FormatError(self.at(key), f"“{value}”不是数字", f"{value!r} is not a number") from None

    def money(self, key: str) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise FormatError(
                self.at(key), '应为金额（元），如 "4000"', 'expected an amount in yuan, e.g. "4000"'
            )
        try:
            return parse_yuan(str(value))
        except ValueError:
            raise FormatError(
                self.at(key), f"“{value}”不是金额", f"{value!r} is not an amount of money"
            ) from None

    def table(self, key: str, required: bool = True) -> Table | None:
        value = self.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            raise FormatError(self.at(key), "应为表（[...]）", "expected a table")
        return self._child(value, self.at(key))

    def tables(self, key: str) -> list[Table]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise FormatError(self.at(key), "应为表数组（[[...]]）", "expected an array of tables")
        return [self._child(v, f"{self.at(key)}[{i}]") for i, v in enumerate(value)]

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise FormatError(self.at(key), "应为文字列表", "expected a list of strings")
        return tuple(value)

    def enum(self, key: str, kind: type[Any], default: str | None = None) -> Any:
        raw = self.text(key, default)
        try:
            return kind(raw)
        except ValueError:
            choices = ", ".join(m.value for m in kind)
            raise FormatError(
                self.at(key), f"“{raw}”无效，可选：{choices}", f"{raw!r} is invalid; choose {choices}"
            ) from None
