"""Calculation traces (计算过程): the steps that produced a number, in Chinese and English.

Every step records its inputs, the formula, the exact intermediate value and, where rounding
happened, the rounded value. Steps that make up the result carry ``adds``: the amount they
add to it. :meth:`Trace.replay` recomputes the result from those amounts alone (sum, clamp,
one half-up rounding), which is how tests prove a trace explains its total.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import plain, round_half_up

_SHOWN = Decimal("0.000001")


def _show(value: Decimal) -> str:
    """An exact value as people read it: at most six decimals, marked ≈ when cut."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        return "≈" + plain(round_half_up(value, _SHOWN))
    return plain(value)


@dataclass(frozen=True)
class TraceStep:
    """One step: ``value`` is exact; ``rounded`` is the value after rounding, if any;
    ``limited`` the value after a cap or floor, if one applied."""

    code: str
    item: str
    label_zh: str
    label_en: str
    formula: str
    value: Decimal
    inputs: tuple[tuple[str, str], ...] = ()
    rounded: Decimal | None = None
    adds: Decimal | None = None
    limited: Decimal | None = None
    note_zh: str = ""
    note_en: str = ""

    def render(self, lang: str = "zh") -> str:
        label = self.label_zh if lang == "zh" else self.label_en
        parts = [f"{label}："] if lang == "zh" else [f"{label}: "]
        if self.formula:
            parts.append(self.formula)
        if self.inputs:
            sep = "，" if lang == "zh" else ", "
            parts.append(" [" + sep.join(f"{k}={v}" for k, v in self.inputs) + "]")
        parts.append(f" = {_show(self.value)}")
        if self.rounded is not None and self.rounded != self.value:
            word = "四舍五入为" if lang == "zh" else "rounded half-up to"
            parts.append(f" → {word} {plain(self.rounded)}")
        if self.limited is not None and self.limited != (
            self.rounded if self.rounded is not None else self.value
        ):
            word = "按上限/下限取" if lang == "zh" else "limited to"
            parts.append(f" → {word} {plain(self.limited)}")
        note = self.note_zh if lang == "zh" else self.note_en
        if note:
            parts.append(f"（{note}）" if lang == "zh" else f" ({note})")
        return "".join(parts)


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
        return "\n".join(f"{i}. {step.render(lang)}" for i, step in enumerate(self.steps, 1))
