"""Read a plan's indicators and measures from their TOML tables (for :mod:`toml_format`).

Every optional value a plan may leave unstated stays ``None`` here (a deduction's ``floor``,
a derived indicator's ``on_zero``), so lint can tell "not stated" from a stated default.
"""

from __future__ import annotations

from decimal import Decimal

from .toml_reader import FormatError, Table
from .types import (
    Band,
    Indicator,
    Kind,
    Measure,
    MeasureKind,
    Rater,
    RubricLevel,
    Source,
    ZeroRule,
    unit_kind,
)


def measure_from_table(m: Table) -> Measure:
    return Measure(
        m.text("key"),
        m.text("name_zh"),
        m.text("name_en", ""),
        m.text("unit", ""),
        m.enum("source", Source, "import"),
        m.enum("kind", MeasureKind, unit_kind(m.text("unit", ""))),
        m.opt_dec("min"),
        m.opt_dec("max"),
    )


def indicator_from_table(t: Table) -> Indicator:
    kind: Kind = t.enum("kind", Kind)
    bands = []
    for b in t.tables("bands"):
        bands.append(Band(b.opt_dec("lower"), b.opt_dec("upper"), b.dec("points")))
    levels = [
        RubricLevel(
            lv.text("key"),
            lv.text("name_zh"),
            lv.dec("points"),
            lv.text("name_en", ""),
            lv.text("description_zh", ""),
            lv.text("description_en", ""),
        )
        for lv in t.tables("levels")
    ]
    raters = []
    for i, r in enumerate(t.texts("raters")):
        try:
            raters.append(Rater(r))
        except ValueError:
            raise FormatError(
                f"{t.at('raters')}[{i}]",
                "评分人应为 self/manager/peer/committee",
                "raters are self, manager, peer, committee",
            ) from None
    return Indicator(
        key=t.text("key"),
        name_zh=t.text("name_zh"),
        kind=kind,
        weight=t.dec("weight", Decimal(0)),
        category=t.text("category", ""),
        name_en=t.text("name_en", ""),
        unit=t.text("unit", ""),
        target=t.opt_dec("target"),
        source=t.enum("source", Source) if t.has("source") else None,
        raters=tuple(raters),
        evidence=t.text("evidence", ""),
        measure=t.text("measure", ""),
        cap=t.opt_dec("cap"),
        floor=t.opt_dec("floor"),
        bands=tuple(bands),
        levels=tuple(levels),
        points_per_event=t.opt_dec("points_per_event"),
        max_points=t.opt_dec("max_points"),
        formula=t.text("formula", ""),
        score_as=t.enum("score_as", Kind, "ratio"),
        veto_grade=t.text("veto_grade") if t.has("veto_grade") else None,
        veto_voids_bonus=t.flag("veto_voids_bonus"),
        description_zh=t.text("description_zh", ""),
        description_en=t.text("description_en", ""),
        direction=_direction(t),
        on_zero=_on_zero(t),
    )


def _direction(t: Table) -> str:
    value = t.text("direction", "")
    if value not in ("", "higher", "lower"):
        raise FormatError(
            t.at("direction"),
            f"“{value}”无效：越高越好写 higher，越低越好写 lower",
            f"{value!r} is invalid: write higher (higher is better) or lower (lower is better)",
        )
    return value


def _on_zero(t: Table) -> ZeroRule | None:
    if not t.has("on_zero"):
        return None
    value = t.text("on_zero")
    try:
        return ZeroRule(value)
    except ValueError:
        raise FormatError(
            t.at("on_zero"),
            f"“{value}”无效：除数为零按缺数据处理写 missing；要别的值，请在公式里写条件，"
            "如 if(inquiries > 0, orders / inquiries, 1)",
            f"{value!r} is invalid: write missing (a zero divisor counts as missing data); for another "
            "value put a guard in the formula, e.g. if(inquiries > 0, orders / inquiries, 1)",
        ) from None
