"""The analysis pages on the persona company (cycles 2026-08 published and 2026-09 closed, for
sales and the plant): the numbers equal an independent computation from the rows; access per
persona; hostile filters refused on the page; query counts that do not grow with people."""

from __future__ import annotations

import io
import statistics
import zipfile
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jixiao.audit.models import AuditEvent
from jixiao.common.figures import Section, Table
from jixiao.cycles.entry.models import Actual
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.more_people import add_people
from jixiao.engine.text import Text
from jixiao.reports.analysis import sections, selectors

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def q(value: Decimal, quantum: Decimal = CENT) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def table(page: selectors.AnalysisPage, key: str) -> Table:
    sections: tuple[Section, ...] = page.sections
    return next(t for s in sections for t in s.tables if t.key == key)


def rows_by(t: Table, column: int = 0) -> dict[Any, tuple[Any, ...]]:
    return {str(r[column]): r for r in t.rows}


def totals(department: Any, label: str) -> list[Decimal]:
    return [
        Decimal(m) / 1000
        for m in Result.objects.filter(cycle__label=label, member__department=department).values_list(
            "total_milli", flat=True
        )
    ]


def test_department_trend_equals_the_rows(personas: Any) -> None:
    page = selectors.trend_page(user=personas["hr"], params={"department": str(personas.department.pk)})
    t = table(page, "trend")
    assert [r[0] for r in t.rows] == ["2026-08", "2026-09"]
    for label, row in rows_by(t).items():
        values = totals(personas.department, label)
        assert row[1] == len(values)
        assert row[2] == q(statistics.mean(values))
        assert row[3] == q(statistics.median(values))
        assert row[4] == q(statistics.pstdev(values))
        assert (row[5], row[6]) == (q(min(values)), q(max(values)))
        grades = Counter(
            Result.objects.filter(cycle__label=label, member__department=personas.department).values_list(
                "grade", flat=True
            )
        )
        shares = dict(zip(["A", "B", "C", "D"], row[7:11], strict=True))
        for grade, share in shares.items():
            assert share == q(Decimal(grades.get(grade, 0)) / len(values), Decimal("0.0001"))
    assert {c.kind for s in page.sections for c in s.charts} == {"line", "stacked"}
    assert {p.label for p in page.people} == set(
        CycleMember.objects.filter(cycle__label="2026-09", department=personas.department).values_list(
            "employee__name", flat=True
        )
    )


def test_comparison_equals_the_rows(personas: Any) -> None:
    page = selectors.compare_page(user=personas["leader"], params={"cycle": "2026-09"})
    t = table(page, "compare")
    by_name = rows_by(t)
    for department in (personas.department, personas.other_department):
        row = by_name[department.name]
        values = totals(department, "2026-09")
        members = CycleMember.objects.filter(cycle__label="2026-09", department=department).count()
        assert row[1:4] == (members, len(values), q(Decimal(len(values)) / members, Decimal("0.0001")))
        assert row[4] == q(statistics.mean(values))
        assert row[5] == q(statistics.median(values))
    company = t.rows[-1]
    everyone = [
        Decimal(m) / 1000
        for m in Result.objects.filter(cycle__label="2026-09").values_list("total_milli", flat=True)
    ]
    assert company[2] == len(everyone) and company[4] == q(statistics.mean(everyone))


def _actuals(personas: Any, label: str, values: dict[str, tuple[str, str, str]]) -> None:
    """Give named members orders, inquiries and satisfaction in the cycle ``label``."""
    for name, (orders, inquiries, satisfaction) in values.items():
        member = CycleMember.objects.get(cycle__label=label, employee=personas.employees[name])
        for key, value in (("orders", orders), ("inquiries", inquiries), ("satisfaction", satisfaction)):
            Actual.objects.update_or_create(member=member, measure_key=key, defaults={"value": value})


def test_kpi_series_equals_the_actuals_and_names_measures(personas: Any) -> None:
    _actuals(personas, "2026-08", {"employee": ("30", "100", "92"), "colleague": ("10", "50", "85.5")})
    _actuals(personas, "2026-09", {"employee": ("12", "0", "90"), "colleague": ("21", "70", "88")})
    department = str(personas.department.pk)
    page = selectors.kpi_page(user=personas["head"], params={"department": department})
    assert page.measures[0].value == "conversion" and page.measures[0].selected
    label = page.measures[0].label
    assert isinstance(label, Text) and label.zh == "转化率"
    series = rows_by(table(page, "series"))
    # 2026-08: 30/100 and 10/50; 2026-09: the employee divides by zero (left out), 21/70.
    assert series["2026-08"][1:3] == (2, q((Decimal("0.3") + Decimal("0.2")) / 2, Decimal("0.0001")))
    assert series["2026-09"][1:3] == (1, Decimal("0.3000"))
    assert len(table(page, "series").columns) == 6  # a head gets no company column
    people = rows_by(table(page, "people"))
    assert people[personas.employees["employee"].name][1:] == (Decimal("0.3000"), None)
    assert page.personal and page.rows == 2

    page = selectors.kpi_page(
        user=personas["hr"], params={"department": department, "measure": "satisfaction"}
    )
    series = rows_by(table(page, "series"))
    assert series["2026-08"][2] == q((Decimal("92") + Decimal("85.5")) / 2)
    assert series["2026-08"][6] == series["2026-08"][2]  # HR: the company mean (only sales has it)
    assert "satisfaction" not in {str(c.title.zh) for c in table(page, "series").columns}


def test_team_against_individual_states_kpi_attainment_from_contributions(personas: Any) -> None:
    page = selectors.team_page(user=personas["hr"], params={})
    t = table(page, "team")
    row: tuple[Any, ...] = next(r for r in t.rows if r[0] == personas.department.name and r[1] == "2026-09")
    results = list(Result.objects.filter(cycle__label="2026-09", member__department=personas.department))
    assert row[2] == len(results)
    assert row[3] == q(Decimal(statistics.mean(Decimal(r.total_milli) / 1000 for r in results)))
    weights = {"conversion": 30, "satisfaction": 20, "response": 15, "errors": 10}  # the plan's measured ones
    attained = []
    for r in results:
        got = [
            (Decimal(r.contributions[k]) / 1000, w)
            for k, w in weights.items()
            if r.contributions.get(k) is not None
        ]
        if got:
            attained.append(q(Decimal(sum(p for p, _w in got)) / sum(w for _p, w in got) * 100))
    assert row[4] == q(Decimal(statistics.mean(attained)))
    assert row[6] == row[3] - row[4]
    far = row[6] >= 15 or (row[7] is not None and row[7] >= 15)
    assert row[8] == (sections.TOO_FEW if row[2] < 3 else sections.FLAG if far else "")


def test_drift_states_shares_against_quotas(personas: Any) -> None:
    page = selectors.drift_page(user=personas["hr"], params={"department": str(personas.department.pk)})
    t = table(page, "drift")
    titles = [c.title.zh for c in t.columns]
    assert titles[-4:] == ["D 配额", "D 超出", "偏离合计", "说明"]
    for row in t.rows:
        grades = Counter(
            Result.objects.filter(cycle__label=row[1], member__department=personas.department).values_list(
                "grade", flat=True
            )
        )
        size = sum(grades.values())
        a = Decimal(grades.get("A", 0)) / size
        d = Decimal(grades.get("D", 0)) / size
        beyond_a = max(q(a, Decimal("0.0001")) - Decimal("0.20"), Decimal(0))
        beyond_d = max(Decimal("0.05") - q(d, Decimal("0.0001")), Decimal(0))
        assert row[titles.index("A 超出")] == beyond_a and row[titles.index("D 超出")] == beyond_d
        assert row[titles.index("偏离合计")] == beyond_a + beyond_d
        assert row[titles.index("A 配额")] == "≤ 20.0%"
        assert row[-1] != ""  # fewer than 10 people: exempt, and said so


# --- Access ----------------------------------------------------------------------------------


def test_a_head_reads_only_their_department(personas: Any, client_for: Any) -> None:
    head = client_for("head")
    plant = personas.other_department.pk
    for name in ("trend", "kpi", "team", "drift", "trend_xlsx"):
        assert head.get(reverse(f"analysis:{name}"), {"department": plant}).status_code == 404
    page = selectors.compare_page(user=personas["head"], params={})
    assert [r[0] for r in table(page, "compare").rows] == [personas.department.name]  # no company line
    assert [d.label for d in selectors.index_page(user=personas["other_head"]).departments] == [
        personas.other_department.name
    ]


def test_a_person_trend_per_persona(personas: Any, client_for: Any) -> None:
    employee = personas.employees["employee"].pk
    url = reverse("analysis:person", args=[employee])
    codes = {
        who: client_for(who).get(url).status_code
        for who in ("employee", "colleague", "head", "other_head", "hr", "member", "admin")
    }
    assert codes == {
        "employee": 200,
        "colleague": 404,
        "head": 200,
        "other_head": 404,
        "hr": 200,
        "member": 200,
        "admin": 404,
    }
    mine = selectors.person_page(user=personas["employee"], pk=None, params={})
    assert [r[0] for r in table(mine, "person").rows] == ["2026-08"]  # only the published cycle
    assert len(table(mine, "person").columns) == 3  # no department mean for an employee
    by_head = selectors.person_page(user=personas["head"], pk=employee, params={})
    assert [r[0] for r in table(by_head, "person").rows] == ["2026-08", "2026-09"]
    assert by_head.personal and not mine.personal


def test_an_employee_sees_what_the_release_shows(personas: Any) -> None:
    Cycle.objects.filter(label="2026-08").update(release_score=False)
    mine = selectors.person_page(user=personas["employee"], pk=None, params={})
    assert table(mine, "person").rows[0][1] == sections.NOT_RELEASED
    assert table(mine, "person").rows[0][2] != sections.NOT_RELEASED


def test_personal_download_asks_a_reason_and_is_audited(personas: Any, client_for: Any) -> None:
    head = client_for("head")
    url = reverse("analysis:kpi_xlsx")
    assert head.get(url).status_code == 405
    refused = head.post(url, {"reason": "x"})
    assert refused.status_code == 400 and "导出原因" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="export.personal").exists()
    answer = head.post(url, {"reason": "月度分析"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action="export.personal")
    assert '"analysis.kpi"' in event.body and f'"department:{personas.department.pk}"' in event.body
    mine = client_for("employee").get(reverse("analysis:mine_xlsx"))
    assert mine.status_code == 200


# --- Hostile filters -------------------------------------------------------------------------

HOSTILE = ["1e30", "nan", "-1", "x" * 20_000, "10000", "0x1", "[]", "inf", "3.5"]


@pytest.mark.parametrize("name", ["trend", "kpi", "team", "drift", "compare"])
def test_hostile_filters_are_refused_on_the_page(name: str, personas: Any, client_for: Any) -> None:
    hr = client_for("hr")
    url = reverse(f"analysis:{name}")
    for value in HOSTILE:
        for field in ("n", "department", "cycle", "month"):
            response = hr.get(url, {field: value})
            if field == "department" and value == "10000":
                # a well-formed id of no department it may see (the comparison takes no department)
                assert response.status_code == (200 if name == "compare" else 404)
                continue
            assert response.status_code == 400, (field, value[:20])
            text = response.content.decode()
            assert 'id="analysis-refusal"' in text and "analysis-filters" in text
    assert "周期数" in hr.get(url, {"n": "10000"}).content.decode()
    hr.cookies["django_language"] = "en"
    refused = hr.get(url, {"n": "10000"})
    assert refused.status_code == 400 and "Number of cycles" in refused.content.decode()


def test_refusals_are_bilingual(personas: Any, client_for: Any) -> None:
    page = selectors.trend_page(user=personas["hr"], params={"n": "10000"})
    assert page.refusal is not None and "周期数" in page.refusal.zh and "Number of cycles" in page.refusal.en
    page = selectors.kpi_page(user=personas["hr"], params={"measure": "x" * 20_000})
    assert page.refusal is not None and page.refusal.en
    page = selectors.kpi_page(
        user=personas["hr"], params={"department": str(personas.department.pk), "measure": "nope"}
    )
    assert page.refusal == selectors.NO_MEASURE and page.status == 400


# --- Query counts ----------------------------------------------------------------------------


def _queries(user: Any, select: Any, **kwargs: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        select(user=user, params=kwargs)
    return len(captured)


@pytest.mark.parametrize("name", ["trend_page", "compare_page", "kpi_page", "team_page", "drift_page"])
def test_queries_do_not_grow_with_people(name: str, personas: Any) -> None:
    select = getattr(selectors, name)
    department = str(personas.department.pk)
    _actuals(personas, "2026-09", {"employee": ("30", "100", "92")})
    before = _queries(personas["hr"], select, department=department)
    cycle = Cycle.objects.get(label="2026-09")
    add_people(cycle, 15)
    model = CycleMember.objects.get(cycle=cycle, employee=personas.employees["employee"])
    for member in CycleMember.objects.filter(
        cycle=cycle, actuals__isnull=True, department=personas.department
    ):
        for actual in model.actuals.all():
            Actual.objects.create(member=member, measure_key=actual.measure_key, value=actual.value)
    assert _queries(personas["hr"], select, department=department) == before


def test_the_download_holds_the_page_numbers_and_native_charts(personas: Any, client_for: Any) -> None:
    department = str(personas.department.pk)
    response = client_for("hr").get(reverse("analysis:trend_xlsx"), {"department": department})
    assert response.status_code == 200
    charts = [
        n for n in zipfile.ZipFile(io.BytesIO(response.content)).namelist() if n.startswith("xl/charts/chart")
    ]
    assert len(charts) == 2  # the mean line and the grade distribution, as Excel charts
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    cells = [c for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row]
    page = selectors.trend_page(user=personas["hr"], params={"department": department})
    for row in table(page, "trend").rows:
        assert row[0] in cells and float(cast(Decimal, row[2])) in cells
    assert not AuditEvent.objects.filter(action="export.personal").exists()  # no names: no reason asked


@pytest.mark.parametrize("who", ["hr", "head", "employee"])
def test_every_parameter_at_once_is_never_a_500(who: str, personas: Any, client_for: Any) -> None:
    """The shared hostile walk's query parameters and posted fields, all at once, on every page."""
    client = client_for(who)
    names = ["index", "trend", "compare", "kpi", "team", "drift", "mine", "trend_xlsx", "compare_xlsx",
             "kpi_xlsx", "team_xlsx", "drift_xlsx", "mine_xlsx"]  # fmt: skip
    urls = [reverse(f"analysis:{n}") for n in names]
    pk = personas.employees["employee"].pk
    urls += [reverse("analysis:person", args=[pk]), reverse("analysis:person_xlsx", args=[pk])]
    params = ("page", "q", "department", "month", "cycle", "measure", "n", "start", "stop", "end", "format")
    for value in HOSTILE:
        for url in urls:
            assert client.get(url, dict.fromkeys(params, value)).status_code < 500
            assert client.post(url, {"reason": value, "n": value}).status_code < 500
