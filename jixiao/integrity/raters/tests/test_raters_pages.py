"""Rater analysis on a real cycle built through the services: the page's figures against an
independent computation, access per persona, hostile query parameters, the export, the feed into
the cycle's integrity flags, and a query count that does not grow with rows."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from statistics import mean
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.cycles.entry.services import score_set
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CycleMember
from jixiao.integrity.raters.selectors import rater_list_page
from jixiao.org.models import Employee

pytestmark = pytest.mark.django_db

POINTS = {"excellent": 100, "good": 80, "fair": 60, "poor": 40}
NEW = [f"new{n}" for n in range(1, 7)]
# The head gives everyone "good" on both indicators; two peers rate teamwork with variety.
PEER_LEVELS = ["excellent", "good", "fair", "poor", "good", "excellent", "fair", "good"]


def _cycle(personas: Any, extra: int = 6) -> tuple[Cycle, dict[str, CycleMember]]:
    for name in NEW[:extra]:
        personas.employees[name] = Employee.objects.create(
            number=name.upper(),
            name=f"新员工{name[3:]}",
            department=personas.department,
            position=personas.position,
            manager=personas.employees["head"],
            hire_date=dt.date(2024, 1, 1),
        )
    cycle = services.cycle_create(
        user=personas["hr"],
        label="2026-11",
        kind="month",
        start=dt.date(2026, 11, 1),
        end=dt.date(2026, 11, 30),
        departments=[personas.department],
    )
    cycle = services.cycle_open(user=personas["hr"], cycle=cycle)
    members = {
        m.employee.number: m for m in CycleMember.objects.filter(cycle=cycle).select_related("employee")
    }
    return cycle, {name: m for name, m in _by_persona(personas, members).items()}


def _by_persona(personas: Any, members: dict[str, CycleMember]) -> dict[str, CycleMember]:
    out = {}
    for name, employee in personas.employees.items():
        if employee.number in members:
            out[name] = members[employee.number]
    return out


def _score(personas: Any, members: dict[str, CycleMember]) -> dict[tuple[str, str, str], int]:
    """Enter the ratings; return {(rater, ratee, indicator): points} for the independent check."""
    given: dict[tuple[str, str, str], int] = {}
    ratees = [n for n in members if n != "head"]
    for name in ratees:
        for ind in ("teamwork", "attitude"):
            score_set(
                user=personas["head"],
                member=members[name],
                indicator_key=ind,
                rater_kind="manager",
                value="good",
            )
            given[("head", name, ind)] = 80
    for peer in ("colleague", "new1"):
        others = [n for n in ratees if n != peer]
        for i, name in enumerate(others):
            level = PEER_LEVELS[(i + (peer == "new1")) % len(PEER_LEVELS)]
            score_set(
                user=personas[peer] if peer in personas.users else _user_of(personas, peer),
                member=members[name],
                indicator_key="teamwork",
                rater_kind="peer",
                value=level,
            )
            given[(peer, name, "teamwork")] = POINTS[level]
    return given


def _user_of(personas: Any, name: str) -> Any:
    from django.contrib.auth import get_user_model

    employee = personas.employees[name]
    if employee.user_id is None:
        employee.user = get_user_model().objects.create_user(username=name, password="x-pass-1234")
        employee.save()
    return employee.user


def _params(cycle: Cycle) -> dict[str, str]:
    return {"first": str(cycle.pk), "last": str(cycle.pk)}


def test_figures_equal_an_independent_computation(personas: Any) -> None:
    cycle, members = _cycle(personas)
    given = _score(personas, members)
    page = rater_list_page(user=personas["hr"], params=_params(cycle))
    assert page.refusal is None and page.analysis is not None
    by_ind: dict[str, list[int]] = {}
    for (_, _, ind), v in given.items():
        by_ind.setdefault(ind, []).append(v)
    mu = {ind: Fraction(sum(v), len(v)) for ind, v in by_ind.items()}
    assert page.analysis.n_ratings == len(given)
    for row in page.rows:
        rater = next(n for n, e in personas.employees.items() if e.pk == row.pk)
        mine = {(p, i): v for (r, p, i), v in given.items() if r == rater}
        people = sorted({p for p, _ in mine})
        assert row.result.n_ratings == len(mine) and row.result.n_ratees == len(people)
        assert row.result.mean == Decimal(mean(mine.values())).quantize(Decimal("0.1"))
        centred = [mean(Fraction(v) - mu[i] for (p2, i), v in mine.items() if p2 == p) for p in people]
        against = dict(row.result.measure("leniency").extra)
        label = next(k for k in against if k.zh == "与公司平均之差")
        expected = Fraction(sum(centred), len(centred))
        assert against[label] == (Decimal(expected.numerator) / expected.denominator).quantize(Decimal("0.1"))
        same = row.result.measure("same")
        values = list(mine.values())
        modal = max(values.count(v) for v in set(values)) if len({i for _, i in mine}) == 1 else None
        if modal is not None:
            assert same.effect == (Decimal(100 * modal) / len(values)).quantize(Decimal("0.1"))
    head = next(r for r in page.rows if r.pk == personas.employees["head"].pk)
    assert [m.key for m in head.result.flags] == ["central", "same"]
    assert head.result.measure("same").effect == Decimal("100.0")
    # six people have the two peers besides the head; the head's sameness is not disagreement
    assert head.result.measure("disagreement").n == 6 and not head.result.measure("disagreement").flagged
    assert head.result.measure("evidence").n == 0  # an open cycle has no measured results yet


def test_the_cycle_flags_page_shows_the_rater_analysis_with_its_evidence(
    personas: Any, client_for: Any
) -> None:
    cycle, members = _cycle(personas)
    _score(personas, members)
    response = client_for("hr").get(reverse("integrity:cycle_flags", args=[cycle.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and 'id="raters"' in text
    head = personas.employees["head"].name
    assert f"{head}：集中趋势" in text and f"{head}：千篇一律" in text
    assert "标准误" in text and "n=8" in text and "最小样本量 5" in text


def test_access_per_persona(personas: Any, client_for: Any) -> None:
    # The persona cycles: the head rated sales people, the other head a plant worker.
    url = reverse("integrity:raters")
    both = Cycle.objects.filter(label__in=["2026-08", "2026-09"]).order_by("start")
    query = {"first": both[0].pk, "last": both[1].pk}
    head_pk, other_pk = personas.employees["head"].pk, personas.employees["other_head"].pk
    seen = {}
    for name in ("hr", "leader", "head", "other_head"):
        page = client_for(name).get(url, query)
        assert page.status_code == 200
        seen[name] = {row.pk for row in page.context["page"].rows}
    assert seen["hr"] == seen["leader"] == {head_pk, other_pk}
    assert seen["head"] == {head_pk} and seen["other_head"] == {other_pk}
    assert (
        client_for("head").get(reverse("integrity:rater_detail", args=[other_pk]), query).status_code == 404
    )
    assert (
        client_for("other_head").get(reverse("integrity:rater_detail", args=[head_pk]), query).status_code
        == 404
    )
    assert client_for("head").get(reverse("integrity:rater_detail", args=[head_pk]), query).status_code == 200
    for name in ("employee", "colleague", "admin", "finance", "auditor"):
        assert client_for(name).get(url, query).status_code == 403
        assert client_for(name).get(reverse("integrity:rater_detail", args=[head_pk])).status_code == 403
    # A head's page says its figures come from their department's ratings only.
    assert 'id="raters-scope"' in client_for("head").get(url, query).content.decode()
    assert 'id="raters-scope"' not in client_for("hr").get(url, query).content.decode()


HOSTILE = ["1e30", "nan", "-1", "0", "x" * 20_000, "1.5", "９", "99999999999999999999", "<script>"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_query_parameters_are_refused_on_the_page(personas: Any, client_for: Any, value: str) -> None:
    client = client_for("hr")
    for name in ("first", "last"):
        for url in (
            reverse("integrity:raters"),
            reverse("integrity:rater_detail", args=[personas.employees["head"].pk]),
        ):
            response = client.get(url, {name: value})
            assert response.status_code == 400, (url, name, value)
            assert 'id="raters-refusal"' in response.content.decode()
        assert (
            client.post(reverse("integrity:raters_xlsx") + f"?{name}=x", {"reason": "月度检查"}).status_code
            == 400
        )


def test_reversed_and_huge_ranges_are_refused(personas: Any, client_for: Any) -> None:
    first = Cycle.objects.get(label="2026-08")
    last = Cycle.objects.get(label="2026-09")
    client = client_for("hr")
    response = client.get(reverse("integrity:raters"), {"first": last.pk, "last": first.pk})
    assert response.status_code == 400 and "起始周期晚于结束周期" in response.content.decode()
    for month in range(1, 25):
        Cycle.objects.create(
            label=f"2020-{month:02d}" if month <= 12 else f"2021-{month - 12:02d}",
            kind="month",
            start=dt.date(2020 + (month - 1) // 12, (month - 1) % 12 + 1, 1),
            end=dt.date(2020 + (month - 1) // 12, (month - 1) % 12 + 1, 28),
            state="locked",
        )
    earliest = Cycle.objects.order_by("start")[0]
    response = client.get(reverse("integrity:raters"), {"first": earliest.pk, "last": last.pk})
    assert response.status_code == 400 and "一次最多分析 24 个周期" in response.content.decode()


def test_the_download_asks_a_reason_and_is_audited(personas: Any, client_for: Any) -> None:
    from python_calamine import CalamineWorkbook

    cycle, members = _cycle(personas)
    _score(personas, members)
    url = reverse("integrity:raters_xlsx") + f"?first={cycle.pk}&last={cycle.pk}"
    client = client_for("hr")
    assert client.get(url).status_code == 405
    refused = client.post(url, {"reason": "a"})
    assert refused.status_code == 400 and "导出原因" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="export.personal").exists()
    response = client.post(url, {"reason": "季度评分质量检查"})
    assert response.status_code == 200
    body = json.loads(AuditEvent.objects.get(action="export.personal").body)
    assert body["after"] == {"what": "integrity.raters", "rows": 3, "scope": "all"}
    assert body["reason"] == "季度评分质量检查"
    import io

    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    cells = [
        str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for c in row
    ]
    assert personas.employees["head"].name in cells


def test_queries_do_not_grow_with_rows(personas: Any, client_for: Any) -> None:
    cycle, members = _cycle(personas, extra=2)
    score_set(
        user=personas["head"],
        member=members["employee"],
        indicator_key="teamwork",
        rater_kind="manager",
        value="good",
    )
    client = client_for("hr")
    url = reverse("integrity:raters")
    client.get(url, _params(cycle))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, _params(cycle)).status_code == 200
    _score(personas, members)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, _params(cycle))
    assert page.status_code == 200 and len(page.context["page"].rows) == 3
    assert len(many) == len(few)


def test_the_detail_page_explains_each_figure(personas: Any, client_for: Any) -> None:
    cycle, members = _cycle(personas)
    _score(personas, members)
    head = personas.employees["head"]
    response = client_for("hr").get(reverse("integrity:rater_detail", args=[head.pk]), _params(cycle))
    text = response.content.decode()
    assert response.status_code == 200
    for key in ("leniency", "central", "same", "evidence", "disagreement"):
        assert f'id="measure-{key}"' in text
    assert "方法" in text and "最小样本量" in text and "<svg" in text
    assert "样本不足" in text  # KPI evidence: an open cycle has no measured results yet
