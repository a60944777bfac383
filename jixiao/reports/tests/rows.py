"""Count the elements of an HTML page that a simple CSS selector names, with the standard library
only: descendant selectors of compounds ``tag#id.class`` (what the home page's to-dos give as
``data-rows``: ``#plan-rows tr``, ``table.inbox tbody tr``)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
COMPOUND = re.compile(r"^(?P<tag>[a-z0-9]+)?(?P<id>#[\w-]+)?(?P<classes>(\.[\w-]+)*)$")

Element = tuple[str, str, frozenset[str]]


def _compound(text: str) -> tuple[str | None, str | None, frozenset[str]]:
    found = COMPOUND.match(text)
    assert found is not None, f"unsupported selector part {text!r}"
    classes = frozenset(c for c in found["classes"].split(".") if c)
    return found["tag"], (found["id"] or "")[1:] or None, classes


def _matches(part: tuple[str | None, str | None, frozenset[str]], element: Element) -> bool:
    tag, ident, classes = part
    return (
        (tag is None or tag == element[0])
        and (ident is None or ident == element[1])
        and classes <= element[2]
    )


class _Counter(HTMLParser):
    def __init__(self, selector: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = [_compound(p) for p in selector.split()]
        self.stack: list[Element] = []
        self.count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        element = (tag, values.get("id") or "", frozenset((values.get("class") or "").split()))
        if _matches(self.parts[-1], element) and self._ancestors_match(self.parts[:-1]):
            self.count += 1
        if tag not in VOID:
            self.stack.append(element)

    def _ancestors_match(self, parts: list[tuple[str | None, str | None, frozenset[str]]]) -> bool:
        remaining = list(parts)
        for element in reversed(self.stack):
            if remaining and _matches(remaining[-1], element):
                remaining.pop()
        return not remaining

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return


def count_rows(page: str, selector: str) -> int:
    """How many elements of ``page`` ``selector`` names."""
    counter = _Counter(html.unescape(selector))
    counter.feed(page)
    return counter.count


TODO = re.compile(
    r'<li class="todo[^"]*" data-kind="([\w-]+)"><a href="([^"]+)" data-count="(\d+)" data-rows="([^"]+)">'
)


def todos(page: str) -> list[tuple[str, str, int, str]]:
    """The home page's to-dos: (kind, link, count, rows selector)."""
    return [(k, html.unescape(u), int(n), html.unescape(r)) for k, u, n, r in TODO.findall(page)]
