"""Calibration (校准): moves with reasons, quotas advisory or enforced, separation of duties."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from jixiao.access.models import Role, RoleGrant
from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError, PermissionRefused
from jixiao.cycles.calibration import selectors as calibration_selectors
from jixiao.cycles.calibration import services as calibration
from jixiao.cycles.calibration.models import CalibrationMove
from jixiao.cycles.entry.services import actual_set
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.models import Cycle, CyclePlan, State
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import closed_cycle, member_of, open_cycle

pytestmark = pytest.mark.django_db


def hr_checked(personas: Any, label: str = "2026-10") -> Cycle:
    """The persona cycle, closed for scoring and put straight into HR_CHECKED.

    The stages between (department summaries, HR's check) have their own tests; calibration
    only needs the state it runs in.
    """
    cycle = closed_cycle(personas, label)
    Cycle.objects.filter(pk=cycle.pk).update(state=State.HR_CHECKED)
    cycle.refresh_from_db()
    return cycle


def set_quotas(cycle: Cycle, *, enforced: bool, min_group: int) -> None:
    """Change the distribution rules of the cycle's framework snapshot."""
    for snapshot in CyclePlan.objects.filter(cycle=cycle):
        snapshot.framework_content["distribution"] = {"min_group_size": min_group, "enforced": enforced}
        snapshot.save(update_fields=["framework_content"])


def result_of(personas: Any, cycle: Cycle, name: str) -> Result:
    return Result.objects.select_related("member", "cycle").get(member=member_of(personas, cycle, name))


def move(user: Any, result: Result, to_grade: str, reason: str = "与同组表现对比后调整") -> Result:
    return calibration.calibration_move(
        user=user,
        result=result,
        to_grade=to_grade,
        reason=reason,
        expected_grade=result.grade,
        expected_moves=result.calibration_moves.count(),
    )


def fresh(user: Any) -> Any:
    """The same user without the cached access facts (after a role change)."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_persona_cycle_grades_the_employee_a_and_the_others_d(personas: Any) -> None:
    cycle = hr_checked(personas)
    grades = {n: result_of(personas, cycle, n).grade for n in ("employee", "colleague", "head")}
    assert grades == {"employee": "A", "colleague": "D", "head": "D"}


def test_a_move_changes_grade_and_coefficient_and_is_audited_with_its_reason(personas: Any) -> None:
    cycle = hr_checked(personas)
    result = move(
        personas["leader"], result_of(personas, cycle, "colleague"), "C", "客户投诉已查明非本人责任"
    )
    result.refresh_from_db()
    assert (result.grade, result.engine_grade, result.coefficient) == ("C", "D", "0.8")
    recorded = CalibrationMove.objects.get(result=result)
    assert (recorded.from_grade, recorded.to_grade, recorded.moved_by) == ("D", "C", personas["leader"])
    event = json.loads(AuditEvent.objects.get(action="result.calibrate").body)
    assert event["reason"] == "客户投诉已查明非本人责任"
    assert (event["before"]["grade"], event["after"]["grade"], event["after"]["coefficient"]) == (
        "D",
        "C",
        "0.8",
    )


def test_a_move_without_a_reason_is_refused_and_changes_nothing(personas: Any) -> None:
    cycle = hr_checked(personas)
    result = result_of(personas, cycle, "colleague")
    with pytest.raises(JixiaoError) as refused:
        move(personas["deputy"], result, "C", reason="   ")
    assert "原因" in refused.value.zh
    assert Result.objects.get(pk=result.pk).grade == "D"
    assert not CalibrationMove.objects.exists()


def test_a_move_on_a_grade_someone_else_just_moved_is_refused(personas: Any) -> None:
    cycle = hr_checked(personas)
    seen = result_of(personas, cycle, "colleague")
    move(personas["leader"], result_of(personas, cycle, "colleague"), "C")
    with pytest.raises(Conflict):
        calibration.calibration_move(
            user=personas["deputy"],
            result=seen,
            to_grade="B",
            reason="我看到的还是 D",
            expected_grade="D",
            expected_moves=0,
        )
    assert Result.objects.get(pk=seen.pk).grade == "C"


def test_moving_back_and_forth_still_detects_a_stale_page(personas: Any) -> None:
    cycle = hr_checked(personas)
    result = result_of(personas, cycle, "colleague")
    move(personas["leader"], result, "C")
    move(personas["leader"], result_of(personas, cycle, "colleague"), "D", "撤回上一次调整")
    with pytest.raises(Conflict):
        calibration.calibration_move(
            user=personas["deputy"],
            result=result,
            to_grade="B",
            reason="旧页面",
            expected_grade="D",
            expected_moves=0,
        )


def test_grades_move_only_while_the_cycle_is_hr_checked(personas: Any) -> None:
    cycle = closed_cycle(personas)
    with pytest.raises(JixiaoError) as refused:
        move(personas["leader"], result_of(personas, cycle, "colleague"), "C")
    assert refused.value.code == "cycle_state"


def test_a_veto_cap_cannot_be_calibrated_away(personas: Any) -> None:
    cycle = open_cycle(personas)
    actual_set(user=personas["hr"], member=member_of(personas, cycle), measure_key="data_leak", value="1")
    cycle = hr_checked(personas)
    result = result_of(personas, cycle, "employee")
    assert result.grade == "D" and result.vetoes
    with pytest.raises(JixiaoError) as refused:
        move(personas["leader"], result, "B")
    assert "一票否决" in refused.value.zh


def test_only_the_leader_and_deputy_move_grades(personas: Any) -> None:
    cycle = hr_checked(personas)
    result = result_of(personas, cycle, "colleague")
    for name in ("member", "hr", "head", "admin", "employee"):
        with pytest.raises(PermissionRefused):
            move(personas[name], result, "C")


def test_a_committee_member_cannot_move_their_own_result(personas: Any, client_for: Any) -> None:
    leader = personas.employees["leader"]
    leader.department, leader.position = personas.department, personas.position
    leader.save()
    cycle = hr_checked(personas, "calib-own")
    own = result_of(personas, cycle, "leader")
    with pytest.raises(PermissionRefused):
        move(fresh(personas["leader"]), own, "A")
    response = client_for("leader").post(
        reverse("cycles:calibration_move", args=[own.pk]),
        {"to_grade": "A", "reason": "自己给自己调", "expected_grade": own.grade, "expected_moves": "0"},
    )
    assert response.status_code == 403
    assert not CalibrationMove.objects.exists()


def test_a_deputy_who_heads_the_department_cannot_move_its_results(personas: Any) -> None:
    RoleGrant.objects.create(user=personas["head"], role=Role.COMMITTEE_DEPUTY)
    head = fresh(personas["head"])
    cycle = hr_checked(personas)
    assert not can(head, "calibration.move", result_of(personas, cycle, "employee"))
    assert not can(head, "calibration.move", result_of(personas, cycle, "head"))
    assert can(fresh(personas["deputy"]), "calibration.move", result_of(personas, cycle, "employee"))


def test_who_may_move_agrees_in_scope_and_can(personas: Any) -> None:
    RoleGrant.objects.create(user=personas["head"], role=Role.COMMITTEE_DEPUTY)
    cycle = hr_checked(personas)
    for name in ("leader", "deputy", "member", "head", "employee", "hr", "admin"):
        user = fresh(personas[name])
        allowed = set(scope(user, "calibration.move", Result.objects.all()).values_list("pk", flat=True))
        for result in Result.objects.filter(cycle=cycle).select_related("member"):
            assert (result.pk in allowed) == can(user, "calibration.move", result), (name, result)


def test_enforced_quotas_refuse_verify_with_the_group_grade_and_count(personas: Any) -> None:
    cycle = hr_checked(personas)
    set_quotas(cycle, enforced=True, min_group=2)
    move(personas["leader"], result_of(personas, cycle, "colleague"), "A", "季度之星")
    with pytest.raises(JixiaoError) as refused:
        services.cycle_verify(user=personas["leader"], cycle=cycle)
    assert "销售部：A 等级 2 人，超出上限（≤ 1）1 人" in refused.value.zh
    assert "1 over its quota" in refused.value.en
    assert Cycle.objects.get(pk=cycle.pk).state == State.HR_CHECKED
    move(personas["deputy"], result_of(personas, cycle, "colleague"), "B", "按配额调整")
    assert services.cycle_verify(user=personas["leader"], cycle=cycle).state == State.VERIFIED


def test_enforced_quotas_refuse_publish_too(personas: Any) -> None:
    cycle = hr_checked(personas)
    set_quotas(cycle, enforced=False, min_group=2)
    move(personas["leader"], result_of(personas, cycle, "colleague"), "A", "季度之星")
    cycle = services.cycle_verify(user=personas["leader"], cycle=cycle)
    set_quotas(cycle, enforced=True, min_group=2)
    with pytest.raises(JixiaoError) as refused:
        services.cycle_publish(user=personas["hr"], cycle=cycle)
    assert "强制分布配额未满足" in refused.value.zh and "超出上限" in refused.value.zh
    assert Cycle.objects.get(pk=cycle.pk).state == State.VERIFIED


def test_advisory_quotas_warn_on_the_page_and_allow_publishing(personas: Any, client_for: Any) -> None:
    cycle = hr_checked(personas)
    set_quotas(cycle, enforced=False, min_group=2)
    move(personas["leader"], result_of(personas, cycle, "colleague"), "A", "季度之星")
    page = client_for("hr").get(reverse("cycles:calibration", args=[cycle.pk])).content.decode()
    assert "配额仅作提示" in page and "未满足配额" in page and "超出上限 1 人" in page
    cycle = services.cycle_verify(user=personas["leader"], cycle=cycle)
    assert services.cycle_publish(user=personas["hr"], cycle=cycle).state == State.PUBLISHED


def test_a_group_smaller_than_the_minimum_is_exempt_even_when_enforced(
    personas: Any, client_for: Any
) -> None:
    cycle = hr_checked(personas)
    set_quotas(cycle, enforced=True, min_group=10)
    move(personas["leader"], result_of(personas, cycle, "colleague"), "A", "季度之星")
    groups = calibration_selectors.distribution(cycle)
    assert [g.exempt for g in groups] == [True, True]
    assert calibration_selectors.quota_problems(cycle) == []
    page = client_for("leader").get(reverse("cycles:calibration", args=[cycle.pk])).content.decode()
    assert "少于 10 人，免于配额" in page
    assert services.cycle_verify(user=personas["leader"], cycle=cycle).state == State.VERIFIED


def test_the_company_line_is_shown_but_not_enforced(personas: Any) -> None:
    cycle = hr_checked(personas)
    set_quotas(cycle, enforced=True, min_group=2)
    groups = calibration_selectors.distribution(cycle)
    assert [g.key for g in groups][-1] == "company"
    assert [g.name for g in groups] == ["销售部", "全公司"]
    lines = {line.key: line for line in groups[0].lines}
    assert (lines["A"].count, lines["A"].quota, lines["D"].quota) == (1, "≤ 1", "≥ 0")


def test_the_page_shows_engine_and_current_grades_moves_and_earlier_cycles(
    personas: Any, client_for: Any
) -> None:
    earlier = closed_cycle(personas, "calib-earlier")
    Cycle.objects.filter(pk=earlier.pk).update(state=State.LOCKED, start=dt.date(2026, 9, 1))
    cycle = hr_checked(personas, "2026-10")
    move(personas["leader"], result_of(personas, cycle, "colleague"), "C", "客户投诉已查明非本人责任")
    page = client_for("member").get(reverse("cycles:calibration", args=[cycle.pk])).content.decode()
    assert "计算结果人数" in page and "已校准" in page
    assert "客户投诉已查明非本人责任" in page and "p_leader" in page
    assert "calib-earlier" in page and "与以往周期比较" in page
    assert 'name="reason"' not in page  # a committee member reads; only the leader and deputy move
    assert (
        'name="reason"'
        in client_for("deputy").get(reverse("cycles:calibration", args=[cycle.pk])).content.decode()
    )


def test_the_page_query_count_does_not_grow_with_moves(
    personas: Any, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    cycle = hr_checked(personas)
    url = reverse("cycles:calibration", args=[cycle.pk])
    client = client_for("leader")
    client.get(url)
    move(personas["leader"], result_of(personas, cycle, "colleague"), "C")
    move(personas["leader"], result_of(personas, cycle, "employee"), "B")
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200


def test_the_page_query_count_does_not_grow_with_people(personas: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.cycles.tests.more_people import add_people

    cycle = hr_checked(personas)
    url = reverse("cycles:calibration", args=[cycle.pk])
    client = client_for("leader")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    last = add_people(cycle, 8)[-1]
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200 and last.name in page.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_move_through_the_page_redirects_and_a_missing_reason_keeps_the_input(
    personas: Any, client_for: Any
) -> None:
    cycle = hr_checked(personas)
    result = result_of(personas, cycle, "colleague")
    url = reverse("cycles:calibration_move", args=[result.pk])
    client = client_for("deputy")
    refused = client.post(url, {"to_grade": "C", "reason": "", "expected_grade": "D", "expected_moves": "0"})
    assert refused.status_code == 400
    assert "请写明调整等级的原因" in refused.content.decode()
    done = client.post(
        url, {"to_grade": "C", "reason": "复核后上调", "expected_grade": "D", "expected_moves": "0"}
    )
    assert done.status_code == 302
    assert Result.objects.get(pk=result.pk).grade == "C"
    stale = client.post(
        url, {"to_grade": "B", "reason": "旧页面", "expected_grade": "D", "expected_moves": "0"}
    )
    assert stale.status_code == 409
    assert "旧页面" in stale.content.decode()  # the input is kept


def test_the_employee_is_told_the_grade_was_calibrated_and_why(personas: Any, client_for: Any) -> None:
    cycle = hr_checked(personas)
    result = move(
        personas["leader"], result_of(personas, cycle, "colleague"), "C", "客户投诉已查明非本人责任"
    )
    cycle = services.cycle_verify(user=personas["leader"], cycle=cycle)
    services.cycle_publish(user=personas["hr"], cycle=cycle)
    page = client_for("colleague").get(reverse("cycles:result_detail", args=[result.pk])).content.decode()
    assert "等级经校准调整" in page and "计算等级 D" in page and "客户投诉已查明非本人责任" in page
    untouched = result_of(personas, cycle, "employee")
    page = client_for("employee").get(reverse("cycles:result_detail", args=[untouched.pk])).content.decode()
    assert "等级经校准调整" not in page


def test_verify_refused_by_a_quota_says_why_on_the_cycle_page(personas: Any, client_for: Any) -> None:
    cycle = hr_checked(personas)
    set_quotas(cycle, enforced=True, min_group=2)
    move(personas["leader"], result_of(personas, cycle, "colleague"), "A", "季度之星")
    url = reverse("cycles:cycle_transition", args=[cycle.pk])
    page = client_for("deputy").post(url, {"action": "verify"}, follow=True).content.decode()
    assert "强制分布配额未满足" in page and "销售部：A 等级 2 人" in page
    assert Cycle.objects.get(pk=cycle.pk).state == State.HR_CHECKED


def test_the_people_list_narrows_to_one_department_and_a_move_returns_to_it(
    personas: Any, client_for: Any
) -> None:
    cycle = hr_checked(personas)
    url = reverse("cycles:calibration", args=[cycle.pk])
    department = personas.department.pk
    page = client_for("leader").get(f"{url}?department={department}").content.decode()
    assert f"?department={department}" in page and "测试colleague" in page
    assert "测试colleague" not in client_for("leader").get(f"{url}?department=999999").content.decode()
    result = result_of(personas, cycle, "colleague")
    answer = client_for("leader").post(
        reverse("cycles:calibration_move", args=[result.pk]) + f"?department={department}",
        {"to_grade": "C", "reason": "复核后上调", "expected_grade": "D", "expected_moves": "0"},
    )
    assert answer["Location"] == f"{url}?department={department}#r{result.pk}"


def test_the_notice_follows_the_release_of_grades(personas: Any, client_for: Any) -> None:
    cycle = hr_checked(personas)
    result = move(
        personas["leader"], result_of(personas, cycle, "colleague"), "C", "客户投诉已查明非本人责任"
    )
    Cycle.objects.filter(pk=cycle.pk).update(state=State.PUBLISHED, release_grade=False)
    url = reverse("cycles:result_detail", args=[result.pk])
    assert "等级经校准调整" not in client_for("colleague").get(url).content.decode()
    assert "等级经校准调整" in client_for("hr").get(url).content.decode()
