"""Calculation traces (计算过程): the steps that produced a number, in Chinese and English.

Every step records its inputs, the formula, the exact intermediate value and, where rounding
happened, the rounded value. Steps that make up the result carry ``adds``: the amount they
add to it. :meth:`Trace.replay` recomputes the result from those amounts alone (sum, clamp,
one half-up rounding), which is how tests prove a trace explains its total.

Labels, formulas, input names and notes are :class:`~jixiao.engine.text.Text`: a step reads
wholly in Chinese or wholly in English (data without an English name stays as it is).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import plain, round_half_up
from .text import Language, Text

_SHOWN = Decimal("0.000001")
NO_TEXT = Text("")

# The words a step adds around its figures, per language.
_WORDS: dict[str, dict[str, str]] = {
    "zh": {"colon": "：", "sep": "，", "rounded": "四舍五入为", "capped": "封顶为", "floored": "保底为"},
    "en": {
        "colon": ": ",
        "sep": ", ",
        "rounded": "rounded half-up to",
        "capped": "capped at",
        "floored": "floored at",
    },
}


def brief(value: Decimal) -> str:
    """An exact value as people read it: at most six decimals, marked ≈ when cut."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        return "≈" + plain(round_half_up(value, _SHOWN))
    return plain(value)


def _lang(lang: str) -> Language:
    return "en" if lang == "en" else "zh"


@dataclass(frozen=True)
class TraceStep:
    """One step: ``value`` is exact (None for a step that states facts and computes nothing);
    ``rounded`` is the value after rounding, if any; ``limited`` the value after a cap or
    floor, if one applied."""

    code: str
    item: str
    label: Text
    formula: Text
    value: Decimal | None
    inputs: tuple[tuple[Text, str], ...] = ()
    rounded: Decimal | None = None
    adds: Decimal | None = None
    limited: Decimal | None = None
    note: Text = NO_TEXT
    limit: str = ""  # "cap" or "floor"; empty: a cap when ``limited`` is smaller, else a floor

    @property
    def label_zh(self) -> str:
        return self.label.zh

    @property
    def label_en(self) -> str:
        return self.label.render("en")

    def render(self, lang: str = "zh") -> str:
        language = _lang(lang)
        words = _WORDS[language]
        parts = [self.label.render(language) + words["colon"]]
        if self.formula.zh:
            parts.append(self.formula.render(language))
        if self.inputs:
            shown = words["sep"].join(f"{k.render(language)}={v}" for k, v in self.inputs)
            parts.append(f" [{shown}]")
        if self.value is None:
            return "".join(parts).rstrip(words["colon"]) + self._note(language)
        parts.append(f" = {brief(self.value)}")
        before = self.value
        if self.rounded is not None and self.rounded != self.value:
            parts.append(f" → {words['rounded']} {plain(self.rounded)}")
            before = self.rounded
        if self.limited is not None and self.limited != before:
            cap = self.limit == "cap" or (not self.limit and self.limited < before)
            word = words["capped"] if cap else words["floored"]
            parts.append(f" → {word} {plain(self.limited)}")
        return "".join(parts) + self._note(language)

    def _note(self, language: Language) -> str:
        if not self.note.zh:
            return ""
        note = self.note.render(language)
        return f"（{note}）" if language == "zh" else f" ({note})"


@dataclass(frozen=True)
class Trace:
    """The steps behind ``result``: ``result == round_half_up(clamp(Σ adds), quantum)``."""

    steps: tuple[TraceStep, ...]
    result: Decimal
    quantum: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None

    def replay(self) -> Decimal:
        """Recompute the result from the steps' ``adds`` alone."""
        total = sum((s.adds for s in self.steps if s.adds is not None), Decimal(0))
        if self.lower is not None:
            total = max(total, self.lower)
        if self.upper is not None:
            total = min(total, self.upper)
        return round_half_up(total, self.quantum)

    def render(self, lang: str = "zh") -> str:
        return "\n".join(self.lines(lang))

    def lines(self, lang: str = "zh") -> list[str]:
        """Each step rendered and numbered, in ``lang``."""
        return [f"{i}. {step.render(lang)}" for i, step in enumerate(self.steps, 1)]
