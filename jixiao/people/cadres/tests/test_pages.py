"""Cadre review pages through HTTP: the whole flow by the people who act, what each sees (the
nominee never the evaluations, a head never potential), hostile input (no 500s, input kept),
queries independent of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.org.models import PositionChange
from jixiao.people.cadres import services
from jixiao.people.cadres.models import Evaluation, Nomination, PotentialRating

from .world import POINTS, evaluated, history, lead, nominated, quarter_result, rule

pytestmark = pytest.mark.django_db


def _post(client: Any, name: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(reverse(f"cadres:{name}", kwargs=kwargs), data)


def test_the_flow_through_the_pages(personas: Any, client_for: Any) -> None:
    p = personas
    history(p)
    hr = client_for("hr")
    form = {"cycle_kind": "quarter", "cycle_count": "4", "min_grade": "B", "min_months_in_post": "24",
            "no_veto": "on", "no_open_plan": "on", "note": ""}  # fmt: skip
    assert _post(hr, "rule_edit", form, level=3).status_code == 302

    head = client_for("head")
    page = head.get(reverse("cadres:eligibility") + f"?position={lead().pk}")
    assert (
        page.status_code == 200
        and "2025-Q4 B、2026-Q1 A、2026-Q2 B、2026-Q3 B → 符合" in page.content.decode()
    )
    assert reverse(
        "cadres:nominate", kwargs={"employee": p.employees["employee"].pk, "position": lead().pk}
    ) in (page.content.decode())
    done = _post(
        head, "nominate", {"reason": "业绩稳定"}, employee=p.employees["employee"].pk, position=lead().pk
    )
    nomination = Nomination.objects.get()
    assert done.status_code == 302 and done["Location"] == nomination.link

    for name in ("deputy", "member"):
        scored = _post(client_for(name), "score", {**POINTS, "comment": f"{name} 评语"}, pk=nomination.pk)
        assert scored.status_code == 302
    assert Evaluation.objects.filter(nomination=nomination).count() == 2
    nomination.refresh_from_db()
    ended = _post(
        hr, "step", {"op": "end_evaluation", "version": nomination.version, "reason": ""}, pk=nomination.pk
    )
    assert ended.status_code == 302

    leader = client_for("leader")
    decide = leader.get(reverse("cadres:decide", kwargs={"pk": nomination.pk}))
    assert decide.status_code == 200 and "超编" in decide.content.decode()
    nomination.refresh_from_db()
    refused = _post(leader, "decide", {"effective": "2027-03-01", "version": nomination.version,
                                       "reason": "同意晋升"}, pk=nomination.pk)  # fmt: skip
    assert refused.status_code == 409 and "同意晋升" in refused.content.decode()  # input kept, reason asked
    approved = _post(leader, "decide", {"effective": "2027-03-01", "version": nomination.version,
                                        "reason": "同意晋升", "quota_reason": "原经理调任"}, pk=nomination.pk)  # fmt: skip
    assert approved.status_code == 302
    assert PositionChange.objects.get().effective == dt.date(2027, 3, 1)

    employee_page = client_for("colleague").get(
        reverse("org:employee_detail", args=[p.employees["employee"].pk])
    )
    assert "任职记录" in employee_page.content.decode() and "待生效" in employee_page.content.decode()


def test_the_nominee_sees_the_outcome_never_the_evaluations(personas: Any, client_for: Any) -> None:
    p = personas
    nomination = evaluated(p)
    employee = client_for("employee")
    url = reverse("cadres:nomination", kwargs={"pk": nomination.pk})
    assert employee.get(url).status_code == 404  # not before the decision
    services.nomination_reject(user=p["leader"], nomination=nomination, reason="时机未到，评议意见见档案")
    page = employee.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "未获批准" in body
    for secret in ("deputy 的评语", "member 的评语", "时机未到"):
        assert secret not in body
    mine = employee.get(reverse("cadres:mine")).content.decode()
    assert nomination.reference in mine
    # HR and the committee see the evaluations; the nominating head sees the nomination, not them
    assert "member 的评语" in client_for("hr").get(url).content.decode()
    head_page = client_for("head").get(url).content.decode()
    assert "member 的评语" not in head_page and nomination.reference in head_page


def test_a_committee_member_on_the_nomination_declares_and_cannot_score(
    personas: Any, client_for: Any
) -> None:
    p = personas
    nomination = nominated(p)
    member = client_for("member")
    page = member.get(nomination.link).content.decode()
    assert 'id="score-form"' in page and 'id="conflict-form"' in page
    assert _post(member, "conflict", {"reason": "亲属"}, pk=nomination.pk).status_code == 302
    page = member.get(nomination.link).content.decode()
    assert 'id="score-form"' not in page and 'id="conflict-form"' not in page and "亲属" in page
    assert _post(member, "score", {**POINTS, "comment": "x"}, pk=nomination.pk).status_code == 403
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["1e30", "nan", "-1", "21", "x" * 70, "２０", "0x10", ""],
)
def test_hostile_points_kept_on_the_form(personas: Any, client_for: Any, value: str) -> None:
    nomination = nominated(personas)
    response = _post(
        client_for("member"), "score", {**POINTS, "ability": value, "comment": "评语"}, pk=nomination.pk
    )
    assert response.status_code == 400 and "评语" in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("effective", "1e30"), ("effective", "nan"), ("effective", "2027-02-30"), ("effective", "9" * 40),
     ("reason", "x" * 20_000), ("quota_reason", "x" * 20_000), ("version", "-1"), ("version", "1e30")],
)  # fmt: skip
def test_hostile_approval_input(personas: Any, client_for: Any, field: str, value: str) -> None:
    nomination = evaluated(personas)
    data = {
        "effective": "2027-03-01",
        "reason": "同意",
        "quota_reason": "调任",
        "version": nomination.version,
    }
    data[field] = value
    response = _post(client_for("leader"), "decide", data, pk=nomination.pk)
    assert response.status_code in (400, 409)
    assert not PositionChange.objects.exists()


def test_a_stale_version_is_refused_keeping_the_input(personas: Any, client_for: Any) -> None:
    nomination = evaluated(personas)
    data = {
        "effective": "2027-03-01",
        "reason": "同意",
        "quota_reason": "调任",
        "version": nomination.version - 1,
    }
    response = _post(client_for("leader"), "decide", data, pk=nomination.pk)
    assert response.status_code == 409 and "调任" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [{"cycle_count": "1e30"}, {"cycle_count": "nan"}, {"min_months_in_post": "-1"}, {"min_grade": "x" * 20},
     {"cycle_kind": "week"}, {"note": "x" * 20_000}],
)  # fmt: skip
def test_hostile_rule_input(personas: Any, client_for: Any, data: dict[str, str]) -> None:
    form = {"cycle_kind": "quarter", "cycle_count": "4", "min_grade": "B", "min_months_in_post": "24", **data}
    response = _post(client_for("hr"), "rule_edit", form, level=3)
    assert response.status_code == 400


@pytest.mark.parametrize("level", ["0", "100"])
def test_rule_level_out_of_range(personas: Any, client_for: Any, level: str) -> None:
    form = {"cycle_kind": "quarter", "cycle_count": "4", "min_grade": "B", "min_months_in_post": "24"}
    response = client_for("hr").post(f"/people/cadres/rules/{level}/", form)
    assert response.status_code == 400


def test_hostile_step_and_query_parameters(personas: Any, client_for: Any) -> None:
    nomination = nominated(personas)
    hr = client_for("hr")
    assert _post(hr, "step", {"op": "explode", "reason": ""}, pk=nomination.pk).status_code in (400, 403, 404)
    assert _post(hr, "step", {"op": "reject", "reason": "不同意"}, pk=nomination.pk).status_code == 403
    leader = client_for("leader")
    assert (
        _post(leader, "step", {"op": "reject", "reason": "x" * 20_000}, pk=nomination.pk).status_code == 400
    )
    for query in ("?position=1e30", "?position=-1", "?position=nan", "?position=" + "9" * 40):
        assert hr.get(reverse("cadres:eligibility") + query).status_code == 200
    for query in ("?year=1e30", "?year=-1", "?year=99999", "?state=<script>"):
        assert hr.get(reverse("cadres:talent") + query).status_code == 200
        assert hr.get(reverse("cadres:nominations") + query).status_code == 200


def test_potential_and_the_nine_box(personas: Any, client_for: Any) -> None:
    p = personas
    lead_post = lead()
    lead_post.is_cadre = True
    lead_post.save()
    for label, grade in (("2026-Q1", "A"), ("2026-Q2", "A")):
        quarter_result(p, "head", label, grade)
    member = client_for("member")
    head_pk = p.employees["head"].pk
    rated = _post(member, "potential", {"year": "2026", "level": "high", "reason": "带队有方"}, pk=head_pk)
    assert rated.status_code == 302 and PotentialRating.objects.get().level == "high"
    grid = client_for("hr").get(reverse("cadres:talent") + "?year=2026").content.decode()
    high_row = grid.split('id="box-high-low"')[1].split("</tr>")[0]  # potential high: the top row
    assert p.employees["head"].name in high_row  # two A quarters and the persona month's result
    # the head themselves is not shown their potential, nor the grid
    assert client_for("head").get(reverse("cadres:talent")).status_code == 403
    bad = _post(member, "potential", {"year": "1e30", "level": "huge", "reason": ""}, pk=head_pk)
    assert bad.status_code == 400 and PotentialRating.objects.count() == 1


def test_a_head_reads_a_trace_without_potential(personas: Any, client_for: Any) -> None:
    p = personas
    services.potential_rate(
        user=p["member"], employee=p.employees["employee"], year=2026, level="low", reason="秘密理由"
    )
    page = client_for("head").get(reverse("cadres:person", kwargs={"pk": p.employees["employee"].pk}))
    assert (
        page.status_code == 200
        and "秘密理由" not in page.content.decode()
        and "潜力" not in page.content.decode()
    )
    assert (
        "秘密理由"
        in client_for("hr")
        .get(reverse("cadres:person", kwargs={"pk": p.employees["employee"].pk}))
        .content.decode()
    )


def test_pages_render_in_english(personas: Any, client_for: Any) -> None:
    nomination = evaluated(personas)
    hr = client_for("hr")
    hr.cookies.load({"django_language": "en"})
    for url in (reverse("cadres:nominations"), nomination.link, reverse("cadres:eligibility"),
                reverse("cadres:rules"), reverse("cadres:talent")):  # fmt: skip
        response = hr.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_pages_do_not_grow_with_rows(personas: Any, client_for: Any) -> None:
    p = personas
    history(p)
    rule(p, cycle_count="2")
    hr = client_for("hr")
    eligibility = reverse("cadres:eligibility") + f"?position={lead().pk}"
    nominations = reverse("cadres:nominations")
    before = (_count(hr, eligibility), _count(hr, nominations))
    history(p, "colleague")
    services.nomination_create(user=p["head"], employee=p.employees["employee"], target=lead(), reason="一")
    services.nomination_create(user=p["head"], employee=p.employees["colleague"], target=lead(), reason="二")
    assert (_count(hr, eligibility), _count(hr, nominations)) == before
