"""``{{ fen|yuan }}``: an amount in fen shown in yuan with thousands separators (exact)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from jixiao.engine.money import format_rate, format_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(int(fen))


@register.filter
def percent(rate: str | Decimal | None) -> str:
    """A rate stored as a decimal fraction shown as a percentage: ``0.0005`` → ``0.05%``."""
    if rate is None or rate == "":
        return "—"
    try:
        return format_rate(Decimal(str(rate)))
    except InvalidOperation:
        return str(rate)
