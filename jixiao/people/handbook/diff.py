"""A readable line-by-line difference between two versions of a policy's text.

Lines are compared as they are written (Markdown source, not the rendered page), so what an
approver reads is exactly what changed. Unchanged stretches are folded to a few lines of context
around each change; the page marks each line added or removed in its own language. The text is
bounded (5,000 lines each), and ``difflib`` discards very common lines as anchors (``autojunk``),
so the comparison stays fast on hostile input.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

ADDED, REMOVED, SAME, GAP = "added", "removed", "same", "gap"
CONTEXT = 3
FOLD_AT_MOST = 2  # an unchanged stretch this short is shown rather than folded


@dataclass(frozen=True)
class DiffLine:
    kind: str  # added, removed, same, or gap (unchanged lines folded away)
    old: int | None  # the line's number in the older text (from 1)
    new: int | None  # … in the newer text
    text: str
    folded: int = 0  # for a gap: how many unchanged lines it stands for

    @property
    def is_added(self) -> bool:
        return self.kind == ADDED

    @property
    def is_removed(self) -> bool:
        return self.kind == REMOVED

    @property
    def is_gap(self) -> bool:
        return self.kind == GAP


@dataclass(frozen=True)
class Diff:
    lines: tuple[DiffLine, ...]
    added: int
    removed: int

    @property
    def same(self) -> bool:
        return not self.added and not self.removed


def _block(tag: str, a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[DiffLine]:
    if tag == "equal":
        return [DiffLine(SAME, i1 + k + 1, j1 + k + 1, a[i1 + k]) for k in range(i2 - i1)]
    removed = [DiffLine(REMOVED, i + 1, None, a[i]) for i in range(i1, i2)]
    added = [DiffLine(ADDED, None, j + 1, b[j]) for j in range(j1, j2)]
    return removed + added


def _unchanged(a: list[str], start: int, end: int, offset: int) -> list[DiffLine]:
    """Lines ``start``..``end`` of ``a`` (unchanged; ``offset`` maps them into the newer text),
    folded into one gap line unless there are only a few."""
    if end - start <= FOLD_AT_MOST:
        return [DiffLine(SAME, i + 1, i + offset + 1, a[i]) for i in range(start, end)]
    return [DiffLine(GAP, None, None, "", folded=end - start)]


def line_diff(old: str, new: str, *, context: int = CONTEXT) -> Diff:
    """The lines of ``new`` against ``old``: every change, with ``context`` unchanged lines
    around it and a gap line for each longer unchanged stretch left out."""
    a, b = (old or "").split("\n"), (new or "").split("\n")
    matcher = difflib.SequenceMatcher(None, a, b)
    lines: list[DiffLine] = []
    shown_to, offset = 0, 0  # lines of ``a`` accounted for so far; new line = old line + offset
    added = removed = 0
    for group in matcher.get_grouped_opcodes(context):
        _tag, first, _i2, first_new, _j2 = group[0]
        lines.extend(_unchanged(a, shown_to, first, first_new - first))
        for tag, i1, i2, j1, j2 in group:
            lines.extend(_block(tag, a, b, i1, i2, j1, j2))
            if tag != "equal":
                removed += i2 - i1
                added += j2 - j1
        shown_to, offset = group[-1][2], group[-1][4] - group[-1][2]
    if not added and not removed:
        return Diff((), 0, 0)
    lines.extend(_unchanged(a, shown_to, len(a), offset))
    return Diff(tuple(lines), added, removed)
