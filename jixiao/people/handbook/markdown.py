"""Policy text in Markdown, rendered safely (the only HTML this wing marks safe).

The site's Content-Security-Policy allows no inline script or style (``settings.CONTENT_SECURITY_
POLICY``), and the text is written by people, so the renderer trusts none of it:

- markdown-it-py (CommonMark) with ``html`` off: raw HTML (``<script>``, ``<img onerror>``,
  ``<style>``, comments) is shown as text, never passed through;
- links only to ``http:``, ``https:``, ``mailto:`` or inside the site (``/…``, ``#…``, a relative
  path): ``javascript:``, ``data:``, ``vbscript:``, ``file:`` and anything else stay text; external
  links get ``rel="noopener noreferrer nofollow"``;
- no images (an outside image would tell another server who read the page, and the CSP blocks
  it anyway): ``![x](y)`` renders as ``!`` and a link;
- table cells carry no ``style`` attribute (markdown-it writes ``style="text-align:…"`` for
  aligned columns): right-aligned cells get the class ``num`` instead; tables get ``grid``;
- nesting is capped (``maxNesting``) and the text is bounded before it gets here
  (:data:`MAX_BYTES`, :data:`MAX_LINES`): the worst page measured (a 200 KB table) renders in
  about 3 s, once: the HTML is kept in the cache under the text's hash (:func:`render`), so a
  page read by everyone is rendered once per text, not once per reader.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_BYTES = 200 * 1024  # 200 KB of UTF-8: a long handbook chapter is a tenth of that
MAX_LINES = 5_000
MAX_NESTING = 20
RENDERER = "1"  # part of the cache key: change it when the rules below change
CACHE_SECONDS = 7 * 24 * 3600
SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def link_allowed(url: str) -> bool:
    """Whether a link may be followed: a safe scheme, or a path with no scheme at all.

    Browsers ignore tabs, newlines and control characters inside a scheme (``java\\tscript:``)
    and read ``\\`` as ``/``, so the check strips them and refuses backslashes and ``//`` hosts
    written without a scheme only when they lead elsewhere (``//evil.example`` is refused)."""
    text = _INVISIBLE.sub("", url or "").strip()
    if "\\" in text:
        return False
    scheme = _SCHEME.match(text)
    if scheme is None:
        return not text.startswith("//")
    return (scheme.group(1).lower() + ":") in SAFE_SCHEMES


def _external(url: str) -> bool:
    return bool(_SCHEME.match(url or "")) or (url or "").startswith("//")


def _link_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if _external(str(token.attrGet("href") or "")):
        token.attrSet("rel", "noopener noreferrer nofollow")
    return str(renderer.renderToken(tokens, idx, options, env))


def _cell_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    style = str(token.attrGet("style") or "")
    if token.attrs and "style" in token.attrs:
        del token.attrs["style"]
    if "right" in style:
        token.attrSet("class", "num")
    return str(renderer.renderToken(tokens, idx, options, env))


def _table_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("class", "grid")
    return str(renderer.renderToken(tokens, idx, options, env))


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.options["maxNesting"] = MAX_NESTING
    md.enable(["table", "strikethrough"])
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = link_allowed  # type: ignore[method-assign]
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("th_open", _cell_open)
    md.add_render_rule("td_open", _cell_open)
    md.add_render_rule("table_open", _table_open)
    return md


_MD = _parser()


def render_now(text: str) -> str:
    """The policy text as HTML by the rules above (not cached)."""
    return str(_MD.render(text or ""))


def render(text: str) -> SafeString:
    """The policy text as HTML fit to put on a page as it is, from the cache when the same text
    was rendered before (the key is the renderer's version and the text's SHA-256)."""
    key = f"handbook:md:{RENDERER}:{hashlib.sha256((text or '').encode()).hexdigest()}"
    html = cache.get(key)
    if not isinstance(html, str):
        html = render_now(text)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)
