"""Money, rates and the one rounding rule (金额、比率与舍入).

- Money is an ``int`` of fen (分, 0.01 yuan) everywhere. Never a float.
- Rates are ``Decimal`` fractions (``Decimal("0.04")`` is 4 %).
- There is one rounding rule: half-up (四舍五入), ties away from zero, exactly
  ``decimal.ROUND_HALF_UP``. :func:`round_half_up` applies it to a ``Decimal`` at any
  quantum (0.01 yuan, 0.001 point, 0.01 point); :func:`div_half_up` is the same rule for
  the integer division the batch hot path uses (a property test proves they agree).
- :func:`allocate` splits a total in fen by weights so that the parts always sum to the
  total (largest remainder; ties go to the earlier part).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100
ONE = Decimal(1)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)

_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def round_half_up(value: Decimal, quantum: Decimal = ONE) -> Decimal:
    """Round ``value`` half-up (ties away from zero) to a multiple of ``quantum``.

    ``quantum`` is a power of ten such as ``Decimal("0.01")``.
    """
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def div_half_up(numerator: int, denominator: int) -> int:
    """Divide two integers and round half-up (ties away from zero), like :func:`round_half_up`."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return q if numerator >= 0 else -q


def to_fen(yuan: Decimal) -> int:
    """Convert an amount in yuan to fen, rounding half-up to the fen."""
    return int(round_half_up(yuan * FEN_PER_YUAN))


def fen_to_yuan(fen: int) -> Decimal:
    """Return the exact amount in yuan of ``fen`` (two decimal places)."""
    return Decimal(fen).scaleb(-2)


def apply_rate(fen: int, rate: Decimal) -> int:
    """Return ``fen × rate`` rounded half-up to the fen."""
    return int(round_half_up(Decimal(fen) * rate))


def parse_yuan(text: str | int | Decimal) -> int:
    """Parse an amount of yuan (``"4000"``, ``"1,000.50"``, ``"200万"``) into exact fen.

    Raise ``ValueError`` for text that is not a number or has more precision than a fen.
    """
    if isinstance(text, int | Decimal):
        raw = str(text)
    else:
        raw = text.strip().replace(",", "").replace("，", "").removesuffix("元")
    factor = ONE
    for unit, mult in _UNITS.items():
        if raw.endswith(unit):
            raw, factor = raw[: -len(unit)], mult
    try:
        value = Decimal(raw) * factor * FEN_PER_YUAN
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {text!r}") from None
    if not value.is_finite() or value != value.to_integral_value():
        raise ValueError(f"amount has more precision than a fen (0.01 yuan): {text!r}")
    return int(value)


def parse_rate(text: str | int | Decimal) -> Decimal:
    """Parse a rate: ``"4%"`` → 0.04, ``"0.05%"`` → 0.0005, ``"0.04"`` → 0.04, ``"5‰"`` → 0.005."""
    raw = str(text).strip().replace("％", "%")
    try:
        if raw.endswith("%"):
            return Decimal(raw[:-1].strip()) / 100
        if raw.endswith("‰"):
            return Decimal(raw[:-1].strip()) / 1000
        return Decimal(raw)
    except InvalidOperation:
        raise ValueError(f"not a rate: {text!r}") from None


def plain(value: Decimal) -> str:
    """Render a Decimal without exponent and without trailing zeros (``0.50`` → ``0.5``)."""
    if value == value.to_integral_value():
        return str(value.quantize(ONE))
    text = f"{value.normalize():f}"
    return text


def format_rate(rate: Decimal) -> str:
    """Render a rate as a percentage: 0.0005 → ``0.05%``."""
    return plain(rate * HUNDRED) + "%"


def format_yuan(fen: int) -> str:
    """Render fen as yuan with thousands separators: 11999996 → ``119,999.96``."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), FEN_PER_YUAN)
    return f"{sign}{yuan:,}.{cents:02d}"


def format_wan(fen: int) -> str:
    """Render an amount the way Chinese documents write bounds: 200000000 fen → ``200万``."""
    if fen % (10_000 * FEN_PER_YUAN) == 0:
        return f"{fen // (10_000 * FEN_PER_YUAN):,}万"
    return format_yuan(fen) + "元"


def allocate(total: int, weights: Sequence[int | Decimal]) -> list[int]:
    """Split ``total`` fen into parts proportional to ``weights``; the parts always sum to ``total``.

    Each part first gets the floor of its exact share; the fen left over go one each to the
    parts with the largest remainders, ties to the earlier part (so the result is
    deterministic). A negative total is split as its absolute value, then negated. Weights
    must be non-negative with a positive sum.
    """
    if not weights:
        raise ValueError("allocate needs at least one weight")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    exponent = min(int(Decimal(w).as_tuple().exponent) for w in weights)
    scale = 10 ** max(0, -exponent)
    ints = [int(Decimal(w) * scale) for w in weights]
    whole = sum(ints)
    if whole <= 0:
        raise ValueError("weights must have a positive sum")
    sign = -1 if total < 0 else 1
    amount = abs(total)
    parts: list[int] = []
    remainders: list[tuple[int, int]] = []
    for index, w in enumerate(ints):
        q, r = divmod(amount * w, whole)
        parts.append(q)
        remainders.append((-r, index))
    left = amount - sum(parts)
    for _, index in sorted(remainders)[:left]:
        parts[index] += 1
    return [sign * p for p in parts]
