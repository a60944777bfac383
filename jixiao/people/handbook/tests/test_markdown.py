"""The policy text renders safely (no markup from the text reaches the page but what the renderer
writes itself) and two texts compare line by line. No database."""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from jixiao.people.handbook.diff import line_diff
from jixiao.people.handbook.markdown import MAX_BYTES, link_allowed, render_now

# Every tag and attribute the renderer itself writes; anything else came from the text.
TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "em", "strong", "s", "a", "code", "pre",
    "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"href", "title", "rel", "class", "start"}
HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<style>body{display:none}</style>",
    '<div style="position:fixed">x</div>',
    "<iframe src=//evil.example></iframe>",
    "<!-- a comment --><b>bold</b>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "[ref][r]\n\n[r]: javascript:alert(1)",
    "![pixel](https://evil.example/track.png)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    "| a | b |\n|--:|:-:|\n| 1 | 2 |",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>indented</script>",
]


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: dict[str, set[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.setdefault(name, set()).add(value or "")


def markup_of(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_from_the_text_reaches_the_page_as_markup(text: str) -> None:
    html = render_now(text)
    found = markup_of(html)
    assert found.tags <= TAGS, (text, html)
    assert set(found.attributes) <= ATTRIBUTES, (text, html)
    for href in found.attributes.get("href", set()):
        assert link_allowed(href) and not href.lower().lstrip().startswith(
            ("javascript", "data", "vbscript")
        ), href
    assert "<script" not in html.lower() and "<style" not in html.lower() and "<img" not in html.lower()
    # What the text says is shown as text: escaped, never as a tag.
    assert not any(name.startswith("on") or name == "style" for name in found.attributes)


def test_what_is_allowed_renders() -> None:
    html = render_now(
        "# 标题\n\n- 一\n- 二\n\n**加粗** ~~删~~ [站内](/people/handbook/) [外部](https://example.com) "
        "[邮件](mailto:hr@example.com)\n\n| 列 | 数 |\n|---|--:|\n| a | 1 |"
    )
    assert "<h1>标题</h1>" in html and "<li>一</li>" in html and "<strong>加粗</strong>" in html
    assert '<a href="/people/handbook/">站内</a>' in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">外部</a>' in html
    assert 'href="mailto:hr@example.com"' in html
    assert '<table class="grid">' in html and '<td class="num">1</td>' in html and "<s>删</s>" in html


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com", True), ("http://example.com", True), ("mailto:a@b.c", True), ("/cycles/", True),
        ("#part", True), ("part2.html", True), ("javascript:alert(1)", False), (" JAVASCRIPT:alert(1)", False),
        ("java\nscript:alert(1)", False), ("java\x00script:alert(1)", False), ("\u200bjavascript:x", False),
        ("data:text/html,x", False), ("vbscript:x", False), ("file:///etc", False), ("//evil.example", False),
        ("\\\\evil.example", False), ("ftp://x", False),
    ],
)  # fmt: skip
def test_the_link_check(url: str, allowed: bool) -> None:
    assert link_allowed(url) is allowed


def test_hostile_sizes_render_in_bounded_time() -> None:
    """At the size limit the worst inputs measured stay within a few seconds (rendered once: the
    HTML is cached by the text's hash)."""
    n = MAX_BYTES
    worst = {
        "brackets": "[" * n,
        "emphasis": "*a" * (n // 2),
        "nesting": ">" * n,
        "wide table": "|" + "a|" * 40 + "\n|" + "-|" * 40 + "\n" + ("|" + "x|" * 40 + "\n") * 1200,
        "links": "[a](b)" * (n // 6),
    }
    for name, text in worst.items():
        started = time.monotonic()
        render_now(text[:n])
        assert time.monotonic() - started < 15, name


def test_a_line_diff_marks_additions_and_deletions() -> None:
    old = "\n".join(f"第 {n} 行" for n in range(1, 21))
    new = old.replace("第 5 行", "第五行").replace("第 20 行", "第 20 行\n新的一行")
    diff = line_diff(old, new)
    assert (diff.added, diff.removed) == (2, 1)
    kinds = [(line.kind, line.old, line.new, line.text) for line in diff.lines]
    assert ("removed", 5, None, "第 5 行") in kinds and ("added", None, 5, "第五行") in kinds
    assert ("added", None, 21, "新的一行") in kinds
    gaps = [line for line in diff.lines if line.is_gap]
    assert [g.folded for g in gaps] == [9]  # lines 9..17 folded; line 1 shown (too short to fold)
    same = [(line.old, line.new) for line in diff.lines if line.kind == "same"]
    assert same[0] == (1, 1) and same[-1] == (20, 20) and len(same) == 20 - 1 - 9
    assert line_diff(old, old).same and line_diff(old, old).lines == ()


def test_a_diff_of_hostile_size_is_bounded() -> None:
    old = "\n".join(str(n) for n in range(5_000))
    new = "\n".join(str(n) for n in range(5_000) if n % 2)
    started = time.monotonic()
    diff = line_diff(old, new)
    assert diff.removed == 2_500 and diff.added == 0
    assert time.monotonic() - started < 20
