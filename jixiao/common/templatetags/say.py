"""Template filters for bilingual values: ``{{ step|say }}`` and ``{{ department|named }}``."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.common import text

register = template.Library()


@register.filter(name="say")
def say(value: Any) -> str:
    """Render a bilingual value (Text, finding, trace step, {"zh","en"} dict) in the page's language."""
    return text.say(value)


@register.filter(name="named")
def named(obj: Any) -> str:
    """The object's ``name_en`` on English pages when it has one, else its ``name``."""
    return text.named(obj)
