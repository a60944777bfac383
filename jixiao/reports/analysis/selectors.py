"""One page selector per analysis page (统计分析): each checks access, parses its filters, reads
in a fixed number of queries and returns its figures as ``Section``s (tables and charts), which
the page shows as SVG charts and tables and the download writes to Excel — the same numbers.

Access: the index and the department pages are for HR, the committee and department heads
(``analysis.view``); a department is read only if ``department.analyse`` allows it (a head:
their own and those below; another id answers 404); a person's trend needs ``employee.analyse``
(an employee: themself, and only released cycles, as much of each as the release shows);
company-wide lines need ``analysis.company`` (HR and the committee)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from jixiao.access.actor import ActingUser, actor_for
from jixiao.access.policy import can, require, scope
from jixiao.common.errors import JixiaoError, NotFound
from jixiao.common.figures import Section
from jixiao.common.text import Text
from jixiao.cycles.lifecycle.models import COMPUTED, Cycle
from jixiao.cycles.results.models import Result
from jixiao.org.models import Department, Employee

from . import sections as figures
from .data import cycles_of, department_sums, latest_snapshots, measure_options, snapshots
from .filters import Filters, parse_filters

TITLES = {
    "index": Text("统计分析", "Analysis"),
    "trend": Text("部门绩效趋势", "Department trend"),
    "person": Text("个人绩效趋势", "Personal trend"),
    "compare": Text("部门对比", "Department comparison"),
    "kpi": Text("KPI 数据走势", "KPI series"),
    "team": Text("团队与个人", "Team against individual"),
    "drift": Text("等级分布与配额", "Grade distribution against quotas"),
}
NO_MEASURE = Text(
    "该部门的考核细则中没有这个数据项，请从列表中选择。",
    "The department's plan has no such measure; choose one from the list.",
)
NO_CYCLE = Text(
    "没有这个周期的考核结果，请从列表中选择。", "No results for that cycle; choose one from the list."
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text | str
    selected: bool = False


@dataclass
class AnalysisPage:
    kind: str
    title: Text
    fields: tuple[str, ...]  # the filters the page's form offers
    filters: Filters = field(default_factory=Filters)
    refusal: Text | None = None
    sections: tuple[Section, ...] = ()
    departments: list[Choice] = field(default_factory=list)
    cycles: list[Choice] = field(default_factory=list)
    measures: list[Choice] = field(default_factory=list)
    people: list[Choice] = field(default_factory=list)  # links to people's trends
    subject: str = ""  # the department or person the page is about
    person_id: int | None = None
    personal: bool = False  # the download names people: it asks for a reason
    rows: int = 0  # rows of personal data in the download
    scope: str = "all"  # what the download covers, for the audit (all, department:7, person:12)

    @property
    def status(self) -> int:
        return 400 if self.refusal is not None else 200

    @property
    def query(self) -> str:
        """The filters as a query string, for the download link."""
        f = self.filters
        given = {"department": f.department, "cycle": f.cycle, "measure": f.measure, "n": f.n}
        return urlencode({k: v for k, v in given.items() if v is not None})

    @property
    def download_url(self) -> str:
        """The Excel download of this page with the same filters."""
        if self.kind == "person":
            own = not self.personal
            base = (
                reverse("analysis:mine_xlsx")
                if own
                else reverse("analysis:person_xlsx", args=[self.person_id])
            )
        else:
            base = reverse(f"analysis:{self.kind}_xlsx")
        return f"{base}?{self.query}" if self.query else base

    @property
    def has_figures(self) -> bool:
        return any(s.tables or s.charts for s in self.sections)


def _start(user: ActingUser, kind: str, params: Mapping[str, str], fields: tuple[str, ...]) -> AnalysisPage:
    page = AnalysisPage(kind, TITLES[kind], fields)
    try:
        page.filters = parse_filters(params)
    except JixiaoError as error:
        page.refusal = error.message
    return page


def _opened(
    user: ActingUser, kind: str, params: Mapping[str, str], fields: tuple[str, ...]
) -> tuple[AnalysisPage, list[Department]]:
    """A department page begun: the reader's right to analyse, the filters read (a refusal keeps the
    department choices, so the form is still there to correct), and the departments they may see."""
    require(user, "analysis.view")
    page = _start(user, kind, params, fields)
    visible = _visible_departments(user)
    if page.refusal is not None:
        _department_choices(page, visible, None)
    return page, visible


def _visible_departments(user: ActingUser) -> list[Department]:
    """The departments the user may analyse that took part in a cycle with results."""
    qs = Department.objects.filter(cycles__state__in=COMPUTED).distinct().order_by("sort_order", "code")
    return list(scope(user, "department.analyse", qs))


def _department_choices(page: AnalysisPage, visible: list[Department], chosen: int | None) -> None:
    page.departments = [Choice(str(d.pk), d.name, d.pk == chosen) for d in visible]


def _chosen_department(user: ActingUser, page: AnalysisPage, visible: list[Department]) -> Department | None:
    """The department asked for (404 unless the user may analyse it), else the first visible."""
    wanted = page.filters.department
    if wanted is None:
        chosen = visible[0] if visible else None
    else:
        chosen = scope(user, "department.analyse", Department.objects.filter(pk=wanted)).first()
        if chosen is None:
            raise NotFound()
    _department_choices(page, visible, chosen.pk if chosen else None)
    return chosen


def index_page(*, user: ActingUser) -> AnalysisPage:
    """The analysis index: the pages and the departments the user may analyse."""
    require(user, "analysis.view")
    page = AnalysisPage("index", TITLES["index"], ())
    _department_choices(page, _visible_departments(user), None)
    return page


def trend_page(*, user: ActingUser, params: Mapping[str, str]) -> AnalysisPage:
    """A department's score mean, spread and grade shares over its last N cycles; its people."""
    page, visible = _opened(user, "trend", params, ("department", "n"))
    if page.refusal is not None:
        return page
    department = _chosen_department(user, page, visible)
    if department is None:
        return page
    page.subject, page.scope = department.name, f"department:{department.pk}"
    cycles = cycles_of([department.pk], page.filters.n)
    section, employee_ids = figures.department_trend(department, cycles)
    page.sections = (section,)
    people = scope(user, "employee.analyse", Employee.objects.filter(pk__in=employee_ids)).order_by("number")
    page.people = [Choice(str(pk), name) for pk, name in people.values_list("pk", "name")]
    return page


def person_page(*, user: ActingUser, pk: int | None, params: Mapping[str, str]) -> AnalysisPage:
    """A person's score and grade over their last N cycles (``pk`` None: the user's own)."""
    if pk is None:
        require(user, "analysis.mine")
        employee = Employee.objects.filter(pk=actor_for(user).employee_id or 0).first()
    else:
        employee = scope(user, "employee.analyse", Employee.objects.filter(pk=pk)).first()
    if employee is None:
        raise NotFound()
    page = _start(user, "person", params, ("n",))
    page.subject, page.person_id, page.scope = employee.name, employee.pk, f"person:{employee.pk}"
    page.personal = employee.user_id is None or employee.user_id != getattr(user, "pk", None)
    if page.refusal is not None:
        return page
    results = scope(user, "result.view", Result.objects.filter(member__employee_id=employee.pk))
    rows = list(
        results.order_by("-cycle__start", "-cycle_id").values_list(
            "cycle_id", "cycle__label", "cycle__release_score", "cycle__release_grade",
            "member__department_id", "total_milli", "grade", "member__snapshot_id",
        )[: page.filters.n]
    )  # fmt: skip
    rows.reverse()
    department_ids = {r[4] for r in rows}
    readable = set(
        scope(user, "department.analyse", Department.objects.filter(pk__in=department_ids)).values_list(
            "pk", flat=True
        )
    )
    sums = department_sums([r[0] for r in rows], readable) if readable else {}
    rules = snapshots({r[7] for r in rows})
    page.sections = (figures.person_trend(employee.name, rows, readable, sums, rules),)
    page.rows = len(rows)
    return page


def compare_page(*, user: ActingUser, params: Mapping[str, str]) -> AnalysisPage:
    """Every department the user may analyse, in one cycle: mean, median, spread, grade shares,
    coverage (results ÷ members); the company line for HR and the committee."""
    require(user, "analysis.view")
    page = _start(user, "compare", params, ("cycle",))
    visible = _visible_departments(user)
    ids = [d.pk for d in visible]
    recent = cycles_of(ids, 36)
    page.cycles = [Choice(c.label, c.label) for c in reversed(recent)]
    if page.refusal is not None or not recent:
        return page
    wanted = page.filters.cycle
    cycle = next((c for c in recent if c.label == wanted), None) if wanted else recent[-1]
    if cycle is None:
        page.refusal = NO_CYCLE
        return page
    page.cycles = [Choice(c.value, c.label, c.value == cycle.label) for c in page.cycles]
    page.subject = cycle.label
    page.sections = (figures.comparison(cycle, visible, can(user, "analysis.company")),)
    return page


def kpi_page(*, user: ActingUser, params: Mapping[str, str]) -> AnalysisPage:
    """A department's measure over its last N cycles: its mean (and the company's, for HR and
    the committee) and each person's value."""
    page, visible = _opened(user, "kpi", params, ("department", "measure", "n"))
    if page.refusal is not None:
        return page
    department = _chosen_department(user, page, visible)
    if department is None:
        return page
    page.subject, page.scope = department.name, f"department:{department.pk}"
    cycles = cycles_of([department.pk], page.filters.n)
    options = measure_options(plan for plan, _fw in latest_snapshots([c.pk for c in cycles], department.pk))
    wanted = page.filters.measure
    option = (
        next((o for o in options if o.key == wanted), None) if wanted else (options[0] if options else None)
    )
    page.measures = [Choice(o.key, o.name, option is not None and o.key == option.key) for o in options]
    if wanted and option is None:
        page.refusal = NO_MEASURE
        return page
    if option is None:
        return page
    section, people = figures.kpi_series(department, cycles, option, can(user, "analysis.company"))
    page.sections = (section,)
    page.personal, page.rows = True, people
    return page


def team_page(*, user: ActingUser, params: Mapping[str, str]) -> AnalysisPage:
    """Per department and cycle: the mean total against the KPI evidence (measured indicators'
    attainment and, when recorded, the department's completion), flagged when far above it."""
    return _across_departments(user, "team", params, figures.team_against_individual)


def drift_page(*, user: ActingUser, params: Mapping[str, str]) -> AnalysisPage:
    """Per department and cycle: each grade's share against its quota and the distance beyond it."""
    return _across_departments(user, "drift", params, figures.drift)


def _across_departments(
    user: ActingUser,
    kind: str,
    params: Mapping[str, str],
    figure: Callable[[Sequence[Department], Sequence[Cycle]], Section],
) -> AnalysisPage:
    """A page of one section over the department asked for (else every visible one) and N cycles."""
    page, visible = _opened(user, kind, params, ("department", "n"))
    if page.refusal is not None:
        return page
    departments = _departments_asked(user, page, visible)
    page.sections = (figure(departments, cycles_of([d.pk for d in departments], page.filters.n)),)
    return page


def _departments_asked(user: ActingUser, page: AnalysisPage, visible: list[Department]) -> list[Department]:
    """The one department asked for (404 unless allowed), else every visible one."""
    if page.filters.department is None:
        _department_choices(page, visible, None)
        return visible
    chosen = _chosen_department(user, page, visible)
    assert chosen is not None
    page.subject, page.scope = chosen.name, f"department:{chosen.pk}"
    return [chosen]


__all__ = ["AnalysisPage", "Choice", "compare_page", "drift_page", "index_page", "kpi_page",
           "person_page", "team_page", "trend_page"]  # fmt: skip
