"""Bilingual text: one sentence in Chinese and English, chosen when it is shown.

The engine, the services and the jobs all say things (findings, trace steps, errors, notes,
progress messages). They say them as :class:`Text` and never decide the language themselves:
the shell renders a ``Text`` once, in the language of the request (``jixiao.common.text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["zh", "en"]


@dataclass(frozen=True)
class Text:
    """A sentence in Chinese (``zh``, the default) and English (``en``)."""

    zh: str
    en: str = ""

    def render(self, language: Language = "zh") -> str:
        """Return the sentence in ``language``; English falls back to Chinese when missing."""
        if language == "en" and self.en:
            return self.en
        return self.zh

    def __add__(self, other: Text) -> Text:
        return Text(self.zh + other.zh, self.en + other.en)

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    @classmethod
    def join(cls, parts: list[Text], zh_sep: str = "；", en_sep: str = "; ") -> Text:
        """Join several sentences with each language's own separator."""
        return cls(zh_sep.join(p.zh for p in parts), en_sep.join(p.en or p.zh for p in parts))
