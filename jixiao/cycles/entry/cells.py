"""The scoring grid's cells as HTML, built in Python (docs/decisions.md, "the grid renders its
cells in Python").

A manager's grid has 30 people × 12 indicators = 360 cells of a form and a rubric ``<select>``.
Through Django's template engine each cell cost ~0.25 ms (an include, a URL reverse, a loop
over the levels with localized numbers): 90 ms a page, far from 100 pages/s on two cores. Here a
cell is one f-string, and the ``<option>`` list of an indicator is built once per selected
value and kept (indicators are frozen, parsed once per snapshot). The grid page and the htmx
answer of one saved cell both come from :func:`score_cell`, so they cannot differ.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# id(indicator) → (the indicator, escaped key, escaped name, {selected value: <option>s}). The
# indicator is kept so its id cannot be reused while the entry lives; hashing a frozen indicator
# (levels, Decimals) on every cell would cost more than building the cell.
_PARTS: dict[int, tuple[Any, str, str, dict[str, str]]] = {}


def _parts(indicator: Any) -> tuple[Any, str, str, dict[str, str]]:
    found = _PARTS.get(id(indicator))
    if found is None or found[0] is not indicator:
        if len(_PARTS) > 4096:
            _PARTS.clear()
        found = (indicator, escape(indicator.key), escape(indicator.name_zh), {})
        _PARTS[id(indicator)] = found
    return found


def _options(indicator: Any, value: str, cache: dict[str, str]) -> str:
    found = cache.get(value)
    if found is None:
        parts = ['<option value="">—</option>']
        for level in indicator.levels:
            selected = " selected" if level.key == value else ""
            parts.append(
                f'<option value="{escape(level.key)}"{selected} title="{escape(level.description_zh)}">'
                f"{escape(level.name_zh)}（{level.points}）</option>"
            )
        found = cache[value] = "".join(parts)
    return found


def score_url(member_id: int) -> str:
    return reverse("cycles:score_save", args=[member_id])


def score_cell(cell: Any, url: str, *, error: str = "", saved: bool = False) -> SafeString:
    """One ``<td>``: a form that saves on change (htmx) and answers with this cell again."""
    indicator = cell.indicator
    _kept, key, name, options = _parts(indicator)
    state = " error" if error else " saved" if saved else ""
    if indicator.levels:
        field = (
            f'<select name="value" aria-label="{name}">{_options(indicator, cell.value, options)}</select>'
        )
    else:
        field = f'<input name="value" value="{escape(cell.value)}" size="5" inputmode="decimal" aria-label="{name}">'
    if error:
        note = f'<small class="error" role="alert">{escape(error)}</small>'
    elif saved:
        note = f'<small class="muted">{escape(_("已保存"))}</small>'
    else:
        note = ""
    return mark_safe(  # every interpolated value is escaped above
        f'<td class="cell{state}" id="cell-{cell.member_id}-{key}">'
        f'<form hx-post="{escape(url)}" hx-trigger="change" hx-target="closest td" hx-swap="outerHTML">'
        f'<input type="hidden" name="indicator" value="{key}"><input type="hidden" name="kind" '
        f'value="{escape(cell.kind)}"><input type="hidden" name="version" value="{int(cell.version)}">'
        f"{field}</form>{note}</td>"
    )


def score_cells(cells: list[Any], member_id: int) -> SafeString:
    """A row's cells, joined."""
    url = score_url(member_id)
    return mark_safe("".join(score_cell(cell, url) for cell in cells))  # escaped in score_cell


@lru_cache(maxsize=256)
def rubric_legend(indicators: tuple[Any, ...]) -> SafeString:
    """The rubric levels with their descriptions, once per section (the same for every row)."""
    parts = []
    for indicator in indicators:
        parts.append(f"<dt>{escape(indicator.name_zh)}</dt>")
        parts += [
            f"<dd><b>{escape(lv.name_zh)}（{lv.points}）</b> {escape(lv.description_zh)}</dd>"
            for lv in indicator.levels
        ]
    return mark_safe("".join(parts))  # every interpolated value is escaped
