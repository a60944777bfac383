"""The one place that decides the language of what is shown, and renders bilingual text in it.

Everything user-facing that is not a template string is a :class:`~jixiao.engine.text.Text`
(or a model with ``name``/``name_en``). Views, template filters, the API and jobs call
:func:`language` and :func:`say`; nothing else looks at the active translation.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from jixiao.engine.text import Language, Text

__all__ = ["Language", "Text", "english", "language", "named", "say"]


def language() -> Language:
    """Return ``"en"`` when the active translation is English, else ``"zh"`` (the default)."""
    return "en" if (translation.get_language() or "zh-hans").startswith("en") else "zh"


def english() -> bool:
    return language() == "en"


def say(value: Any) -> str:
    """Render ``value`` in the request's language.

    Accepts a :class:`Text`, anything with ``render(language)`` (findings, trace steps), a
    ``{"zh": …, "en": …}`` mapping, or a plain string (returned as it is).
    """
    if value is None:
        return ""
    if isinstance(value, Text) or hasattr(value, "render"):
        return str(value.render(language()))
    if isinstance(value, dict) and "zh" in value:
        return str(value.get("en") or value["zh"]) if english() else str(value["zh"])
    return str(value)


def named(obj: Any, zh_attr: str = "name", en_attr: str = "name_en") -> str:
    """Return the name of ``obj`` (a department, indicator, grade …) in the request's language:
    its English name when the page is English and the data has one, else its Chinese name."""
    zh = getattr(obj, zh_attr, "") if not isinstance(obj, dict) else obj.get(zh_attr, "")
    if english():
        en = getattr(obj, en_attr, "") if not isinstance(obj, dict) else obj.get(en_attr, "")
        if en:
            return str(en)
    return str(zh)
