"""Rater analysis pages (评分者分析; the source: 杜绝徇私舞弊): one page selector per page.

The ratings are read through ``access`` (``rater.view``): HR and the committee analyse every
rater of the chosen cycles against the whole company; a department head analyses the ratings
given to their department's people only, against those same ratings (their page says so). The
arithmetic is ``jixiao.engine.raters``; this module fetches (one query for the ratings, three
per cycle for its members, plans and KPI shares — never one per person) and shapes figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case, When
from django.urls import reverse

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import require, scope
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.common.figures import Chart, Column, Section, Table
from jixiao.common.labels import label_text
from jixiao.common.text import Text
from jixiao.common.validators import parse_id
from jixiao.cycles.entry.models import Score
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.engine.raters import KEYS, METHODS, NAMES, Analysis, RaterResult, analyse

from ..flags import Member
from ..selectors import _members
from .data import ratings_of

MAX_CYCLES = 24  # a range of at most two years of monthly cycles
UNITS = {
    "leniency": Text("百分点", "points"),
    "central": Text("倍", "×"),
    "same": Text("%", "%"),
    "evidence": Text("倍", "×"),
    "disagreement": Text("倍", "×"),
}


@dataclass(frozen=True)
class RaterRow:
    pk: int
    name: str
    kinds: Text
    result: RaterResult

    @property
    def flag_texts(self) -> list[Text]:
        return [m.verdict for m in self.result.flags]

    @property
    def concluded(self) -> bool:
        return any(m.concluded for m in self.result.measures)


@dataclass
class RaterPage:
    title: Text
    choices: list[Cycle] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    refusal: Text | None = None
    whole_company: bool = True
    analysis: Analysis | None = None
    rows: list[RaterRow] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    chart: Chart | None = None
    names: dict[int, str] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    scores: list[dict[str, Any]] = field(default_factory=list)
    scope: str = "all"
    personal: bool = True

    @property
    def status(self) -> int:
        return 400 if self.refusal is not None else 200

    @property
    def query(self) -> str:
        if self.first is None or self.last is None:
            return ""
        return urlencode({"first": self.first, "last": self.last})

    @property
    def download_url(self) -> str:
        return reverse("integrity:raters_xlsx") + (f"?{self.query}" if self.query else "")

    @property
    def rows_count(self) -> int:
        return len(self.rows)

    @property
    def methods(self) -> list[tuple[Text, Text, Text]]:
        return [(NAMES[k], METHODS[k], UNITS[k]) for k in KEYS]

    @property
    def measure_names(self) -> list[Text]:
        return [NAMES[k] for k in KEYS]


def _choices() -> list[Cycle]:
    return list(Cycle.objects.exclude(state="planning").order_by("start", "pk"))


def _range(page: RaterPage, params: Mapping[str, str], default: int | None) -> None:
    """The chosen cycles from ``first`` and ``last`` (cycle ids; either alone means that one cycle)."""
    by_pk = {c.pk: c for c in page.choices}
    field_first, field_last = Text("起始周期", "first cycle"), Text("结束周期", "last cycle")
    try:
        first = parse_id(params["first"], field=field_first) if params.get("first") else None
        last = parse_id(params["last"], field=field_last) if params.get("last") else None
    except JixiaoError as error:
        page.refusal = error.message
        return
    first, last = first or last or default, last or first or default
    if first is None or last is None:
        return
    if first not in by_pk or last not in by_pk:
        page.refusal = Text("没有这个考核周期。", "No such appraisal cycle.")
        return
    ordered = [c.pk for c in page.choices]
    i, j = ordered.index(first), ordered.index(last)
    if i > j:
        page.refusal = Text("起始周期晚于结束周期。", "The first cycle is later than the last one.")
        return
    if j - i + 1 > MAX_CYCLES:
        page.refusal = Text(
            f"一次最多分析 {MAX_CYCLES} 个周期（所选 {j - i + 1} 个）。",
            f"At most {MAX_CYCLES} cycles at a time ({j - i + 1} chosen).",
        )
        return
    page.first, page.last, page.cycles = first, last, page.choices[i : j + 1]


def _kinds(scores: list[dict[str, Any]]) -> dict[int, Text]:
    kinds: dict[int, set[str]] = defaultdict(set)
    for s in scores:
        kinds[s["rater_id"]].add(s["rater_kind"])
    return {
        pk: Text.join([label_text(k, "rater") for k in sorted(ks)], "、", ", ") for pk, ks in kinds.items()
    }


def _load(user: ActingUser, page: RaterPage) -> None:
    ids = [c.pk for c in page.cycles]
    rows = scope(user, "rater.view", Score.objects.filter(member__cycle_id__in=ids)).order_by("pk")
    page.scores = [
        dict(r)
        for r in rows.values(
            "pk",
            "member_id",
            "member__cycle_id",
            "indicator_key",
            "rater_kind",
            "rater_id",
            "rater__name",
            "value",
        )
    ]
    members: dict[int, Member] = {}
    for cycle in page.cycles:
        members |= _members(cycle)
    page.members = members
    ratings = ratings_of(members, page.scores)
    page.analysis = analyse(ratings)
    page.names = {s["rater_id"]: s["rater__name"] for s in page.scores}
    kinds = _kinds(page.scores)
    page.rows = [
        RaterRow(int(r.rater), page.names[int(r.rater)], kinds[int(r.rater)], r) for r in page.analysis.raters
    ]
    page.rows.sort(key=lambda row: (-len(row.result.flags), row.name, row.pk))


def _start(user: ActingUser, params: Mapping[str, str]) -> RaterPage:
    require(user, "rater.view")
    actor = actor_for(user)
    whole = actor.is_hr or actor.is_committee or actor.is_system
    page = RaterPage(Text("评分者分析", "Rater analysis"), choices=_choices(), whole_company=whole)
    page.scope = (
        "all" if whole else "department:" + ",".join(str(d) for d in sorted(actor.headed_department_ids))
    )
    # By default the latest cycle whose scoring has closed (else the latest) with visible ratings.
    latest = (
        scope(user, "rater.view", Score.objects.filter(member__cycle__in=page.choices))
        .order_by(
            Case(When(member__cycle__state="open", then=1), default=0),
            "-member__cycle__start",
            "-member__cycle_id",
        )
        .values_list("member__cycle_id", flat=True)
        .first()
    )
    _range(page, params, latest)
    if page.refusal is None and page.cycles:
        _load(user, page)
    return page


def _cell(m: Any) -> Decimal | None:
    return m.effect if m.concluded else None


def _table(page: RaterPage) -> Table:
    columns = [
        Column(Text("评分人", "Rater")),
        Column(Text("评分类型", "As")),
        Column(Text("评分数", "Ratings"), "int"),
        Column(Text("被评人数", "People rated"), "int"),
        Column(Text("平均评分（满分%）", "Mean rating (% of full)"), "decimal"),
    ]
    for k in KEYS:
        name = NAMES[k]
        columns += [
            Column(Text(f"{name.zh}（{UNITS[k].zh}）", f"{name.en} ({UNITS[k].en})"), "decimal"),
            Column(Text(f"{name.zh}·标准误", f"{name.en}: SE"), "decimal"),
            Column(Text(f"{name.zh}·n", f"{name.en}: n"), "int"),
        ]
    columns.append(Column(Text("提示", "Flags")))
    rows = []
    for row in page.rows:
        r = row.result
        cells: list[Any] = [row.name, row.kinds, r.n_ratings, r.n_ratees, r.mean]
        for m in r.measures:
            cells += [_cell(m), m.uncertainty if m.concluded else None, m.n]
        cells.append(Text.join(row.flag_texts, " ", " ") if row.flag_texts else Text("—", "—"))
        rows.append(tuple(cells))
    return Table("raters", Text("评分者分析", "Rater analysis"), tuple(columns), tuple(rows))


def _chart(page: RaterPage) -> Chart | None:
    rows = [
        (row.name, row.result.measure("leniency").effect, row.result.measure("leniency").uncertainty)
        for row in page.rows
        if row.result.measure("leniency").concluded
    ]
    if not rows:
        return None
    table = Table(
        "leniency",
        Text("宽严倾向（比公司预期高出的百分点）", "Leniency (points above the company's expectation)"),
        (
            Column(Text("评分人", "Rater")),
            Column(Text("宽严倾向", "Leniency"), "decimal"),
            Column(Text("标准误", "SE"), "decimal"),
        ),
        tuple(sorted(rows, key=lambda r: (r[1] or Decimal(0), r[0]))),
    )
    return Chart("bar", table.title, table, 0, (1,), Text("百分点", "points"))


def rater_list_page(*, user: ActingUser, params: Mapping[str, str]) -> RaterPage:
    """Every rater of the chosen cycles (a head: of their department's people) with each measure,
    its uncertainty, its sample and the flags in words; flagged raters first."""
    page = _start(user, params)
    if page.analysis is not None:
        page.chart = _chart(page)
        table = _table(page)
        notes = tuple(
            Text(f"{name.zh}：{method.zh}", f"{name.en}: {method.en}") for name, method, _ in page.methods
        )
        page.sections = [Section("raters", page.title, notes, (table,), (page.chart,) if page.chart else ())]
    return page


@dataclass
class RaterDetail:
    page: RaterPage
    row: RaterRow
    indicators: Table
    chart: Chart
    ratees: Table


def _tenth(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"))


def _indicator_tables(page: RaterPage, pk: int) -> tuple[Table, Table]:
    from ..flags import _indicator, _names, _rubric_points

    mine: dict[str, list[Decimal]] = defaultdict(list)
    everyone: dict[str, list[Decimal]] = defaultdict(list)
    labels: dict[str, Text] = {}
    people: dict[int, list[Decimal]] = defaultdict(list)
    cycle_of: dict[int, str] = {}
    cycles = {c.pk: c.label for c in page.cycles}
    for s in page.scores:
        member = page.members.get(s["member_id"])
        ind = _indicator(member, s["indicator_key"]) if member is not None else None
        points = _rubric_points(ind, s["value"]) if ind is not None and s["rater_kind"] != "self" else None
        if points is None or ind is None or not points[1]:
            continue
        share = points[0] * 100 / points[1]
        key = f"{s['member__cycle_id']}:{ind.key}"
        labels[key] = Text(
            f"{cycles[s['member__cycle_id']]} {_names(ind).zh}",
            f"{cycles[s['member__cycle_id']]} {_names(ind).en}",
        )
        everyone[key].append(share)
        if s["rater_id"] == pk:
            mine[key].append(share)
            people[s["member_id"]].append(share)
            cycle_of[s["member_id"]] = cycles[s["member__cycle_id"]]

    def mean(xs: list[Decimal]) -> Decimal:
        return (sum(xs, Decimal(0)) / len(xs)).quantize(Decimal("0.1"))

    indicators = Table(
        "indicators",
        Text("各指标：该评分人平均与公司平均", "Per indicator: this rater's mean and the company's"),
        (
            Column(Text("指标", "Indicator")),
            Column(Text("该评分人平均（满分%）", "This rater (% of full)"), "decimal"),
            Column(Text("对比平均（满分%）", "Compared mean (% of full)"), "decimal"),
            Column(Text("该评分人评分数", "Ratings"), "int"),
        ),
        tuple((labels[k], mean(v), mean(everyone[k]), len(v)) for k, v in sorted(mine.items())),
    )
    ratees = Table(
        "ratees",
        Text("被评人", "People rated"),
        (
            Column(Text("被评人", "Person")),
            Column(Text("周期", "Cycle")),
            Column(Text("平均评分（满分%）", "Mean rating (% of full)"), "decimal"),
            Column(Text("量化指标得分率（%）", "Measured share (%)"), "decimal"),
        ),
        tuple(
            (
                page.members[m].name,
                cycle_of[m],
                mean(v),
                _tenth(page.members[m].measured),
            )
            for m, v in sorted(
                people.items(), key=lambda kv: (page.members[kv[0]].name, cycle_of[kv[0]], kv[0])
            )
        ),
    )
    return indicators, ratees


def rater_detail_page(*, user: ActingUser, pk: int, params: Mapping[str, str]) -> RaterDetail | RaterPage:
    """One rater: each measure with its method, figure, uncertainty and sample; their mean per
    indicator against the compared mean; the people they rated with their measured share. A
    rater the user may not see (or who rated nobody in the range) is not found."""
    page = _start(user, params)
    if page.refusal is not None:
        return page
    row = next((r for r in page.rows if r.pk == pk), None)
    if row is None:
        raise NotFound()
    indicators, ratees = _indicator_tables(page, pk)
    chart = Chart("column", indicators.title, indicators, 0, (1,), Text("满分%", "% of full"), (2,))
    return RaterDetail(page, row, indicators, chart, ratees)
