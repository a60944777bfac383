"""One error type for everything a user can get wrong, in Chinese and English.

Services raise :class:`JixiaoError`; views turn it into a 4xx page or form error, the API into
one JSON shape, commands into a message and a non-zero exit. Every message says what is wrong,
where (row, column, field) and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.engine.text import Text

from .text import say


@dataclass
class Problem:
    """One thing wrong with the input: where it is and what to do about it."""

    zh: str
    en: str
    where: str = ""
    row: int | None = None
    column: str = ""

    @property
    def message(self) -> Text:
        """What is wrong, in both languages (without the place)."""
        return Text(self.zh, self.en)

    def text(self) -> str:
        """The place and the message, in the request's language."""
        location = self.location()
        return f"{location}: {say(self.message)}" if location else say(self.message)

    def location(self) -> str:
        parts = []
        if self.where:
            parts.append(self.where)
        if self.row is not None:
            parts.append(say(Text(f"第 {self.row} 行", f"row {self.row}")))
        if self.column:
            parts.append(say(Text(f"“{self.column}”列", f"column {self.column}")))
        return " ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {"zh": self.zh, "en": self.en, "where": self.where, "row": self.row, "column": self.column}


@dataclass
class JixiaoError(Exception):
    """A refused request: nothing was written. ``status`` is the HTTP status to answer with."""

    zh: str
    en: str
    code: str = "invalid"
    status: int = 400
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.en)

    @property
    def message(self) -> Text:
        """What was refused and why, in both languages."""
        return Text(self.zh, self.en)

    def text(self) -> str:
        """The message in the request's language."""
        return say(self.message)

    def bilingual(self) -> str:
        return f"{self.zh} / {self.en}"

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "zh": self.zh,
            "en": self.en,
            "problems": [problem.as_dict() for problem in self.problems],
        }


class PermissionRefused(JixiaoError):
    """The user may not do this (HTTP 403)."""

    def __init__(
        self, zh: str = "您没有权限执行此操作。", en: str = "You are not allowed to do this."
    ) -> None:
        super().__init__(zh=zh, en=en, code="forbidden", status=403)


class NotFound(JixiaoError):
    """No such object, or none the user may see (HTTP 404: we do not reveal which)."""

    def __init__(self, zh: str = "找不到该记录。", en: str = "Not found.") -> None:
        super().__init__(zh=zh, en=en, code="not_found", status=404)


class Conflict(JixiaoError):
    """Someone else changed the record first (HTTP 409); the user's input is kept."""

    def __init__(
        self,
        zh: str = "该记录已被他人修改，请刷新后再保存；您的输入已保留。",
        en: str = "Someone else changed this record; reload and save again. Your input is kept.",
    ) -> None:
        super().__init__(zh=zh, en=en, code="conflict", status=409)


def version_check(current: int, expected: int | None) -> None:
    """Refuse with :class:`Conflict` unless the row is still at the ``expected`` version (the one
    the user saw); ``None`` means the caller does not check. A row not yet saved is version 0."""
    if expected is not None and current != expected:
        raise Conflict()
