"""``{{ fen|yuan }}``: an amount in fen shown in yuan with thousands separators (exact)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from jixiao.engine.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    return "—" if fen is None else format_yuan(int(fen))


@register.filter
def lang_text(entry: dict[str, str]) -> str:
    """A bilingual ``{"zh", "en"}`` trace or note entry in the current language."""
    return entry.get("en" if (get_language() or "").startswith("en") else "zh", "")
