"""Appeal services: every step, the hold on the cycle, who is told, separation of duties, and
refusals that write nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jixiao.access.models import RoleGrant
from jixiao.audit.models import AuditEvent
from jixiao.cases.appeals import services
from jixiao.cases.appeals.models import Appeal, AppealFile, Statement
from jixiao.cases.appeals.separation import (
    conflicted_employee_ids,
    eligible_rechecker_ids,
    rechecker_candidates,
)
from jixiao.common.errors import JixiaoError
from jixiao.common.files import evidence_root
from jixiao.cycles.entry.models import ConflictDeclaration
from jixiao.cycles.lifecycle.models import Cycle, CycleHold
from jixiao.notifications.models import Notification

from .world import accepted_appeal, filed_appeal, note, rechecking_appeal, result_of, statement_asked

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    stored = sum(1 for path in evidence_root().rglob("*") if path.is_file())
    return (
        Appeal.objects.count(),
        AppealFile.objects.count(),
        Statement.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        CycleHold.objects.count(),
        stored,
        sum(Appeal.objects.values_list("version", flat=True)),
    )


def refused(call: Callable[[], Any], status: int | None = None) -> JixiaoError:
    """``call`` is refused and writes nothing at all."""
    before = counts()
    with pytest.raises(JixiaoError) as error:
        call()
    assert counts() == before
    if status is not None:
        assert error.value.status == status, error.value
    return error.value


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_filing_inside_the_window_holds_the_cycle_and_tells_hr(personas: Any) -> None:
    appeal = filed_appeal(personas)

    assert (appeal.state, appeal.late, appeal.indicators) == ("filed", False, ["teamwork"])
    assert appeal.step_began == timezone.localdate()
    assert CycleHold.objects.filter(cycle=appeal.cycle, source=f"appeal:{appeal.pk}").exists()
    assert told("appeal.filed") == {"p_hr", "p_hrsup"}
    event = AuditEvent.objects.get(action="appeal.file", object_id=str(appeal.pk))
    assert "note.txt" in event.body
    stored = appeal.files.get()
    assert (evidence_root() / stored.path).read_bytes().decode() == "加班记录：10 月 3 日至 5 日"
    # The people the appeal is about may not recheck or decide it.
    employees = personas.employees
    assert {employees["employee"].pk, employees["head"].pk} <= set(appeal.conflicted)
    assert not appeal.leader_barred


def test_one_open_appeal_per_result_and_only_ones_own_released_result(personas: Any) -> None:
    filed_appeal(personas)
    mine = result_of(personas)
    refused(
        lambda: services.appeal_file(user=personas["employee"], result=mine, indicators=[], reason="再次"),
        409,
    )
    refused(
        lambda: services.appeal_file(user=personas["colleague"], result=mine, indicators=[], reason="x"), 403
    )
    unpublished = result_of(personas, label="2026-09")
    refused(
        lambda: services.appeal_file(
            user=personas["employee"], result=unpublished, indicators=[], reason="x"
        ),
        403,
    )
    theirs = result_of(personas, "colleague")
    file = services.appeal_file
    refused(lambda: file(user=personas["colleague"], result=theirs, indicators=["nonsense"], reason="x"), 400)
    refused(lambda: file(user=personas["colleague"], result=theirs, indicators=[], reason="   "), 400)
    refused(lambda: file(user=personas["colleague"], result=theirs, indicators=[], reason="长" * 2001), 400)
    bad = [note(), note("virus.exe", b"MZ\x90"), note("fake.pdf", b"not a pdf")]
    error = refused(
        lambda: file(user=personas["colleague"], result=theirs, indicators=[], reason="x", files=bad), 400
    )
    assert [p.en for p in error.problems] == [
        "'virus.exe': this type cannot be uploaded; allowed: .docx、.jpeg、.jpg、.pdf、.png、.txt、.xlsx.",
        "The content of 'fake.pdf' does not match .pdf.",
    ]
    refused(
        lambda: file(
            user=personas["colleague"], result=theirs, indicators=[], reason="x", files=[note()] * 6
        ),
        400,
    )


def test_after_the_window_an_appeal_awaits_the_leaders_leave(personas: Any) -> None:
    cycle = Cycle.objects.get(label="2026-08")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Cycle.objects.filter(pk=cycle.pk).update(deadlines={"published": yesterday.isoformat()})
    appeal = filed_appeal(personas)
    assert (appeal.state, appeal.late) == ("awaiting_leave", True)
    assert not CycleHold.objects.exists()  # nothing to hold until the leader allows it
    assert told("appeal.late") == {"p_leader"}

    refused(lambda: services.appeal_leave(user=personas["hr"], appeal=appeal, grant=True, reason="可"), 403)
    refused(
        lambda: services.appeal_leave(user=personas["leader"], appeal=appeal, grant=True, reason=" "), 400
    )
    refused(lambda: services.appeal_accept(user=personas["hr"], appeal=appeal), 409)

    granted = services.appeal_leave(user=personas["leader"], appeal=appeal, grant=True, reason="确有正当理由")
    assert (granted.state, granted.leave_reason) == ("filed", "确有正当理由")
    assert CycleHold.objects.filter(source=f"appeal:{appeal.pk}").exists()
    assert told("appeal.leave_granted") == {"p_employee"} and "p_hr" in told("appeal.filed")


def test_a_refused_late_appeal_is_closed(personas: Any) -> None:
    Cycle.objects.filter(label="2026-08").update(state="locked")
    appeal = filed_appeal(personas)
    assert appeal.state == "awaiting_leave"
    closed = services.appeal_leave(
        user=personas["leader"], appeal=appeal, grant=False, reason="超过期限且无理由"
    )
    assert closed.state == "closed" and told("appeal.leave_refused") == {"p_employee"}
    # A closed appeal is not open: the employee may file again (again late).
    again = services.appeal_file(
        user=personas["employee"], result=result_of(personas), indicators=[], reason="补充"
    )
    assert again.state == "awaiting_leave"


def test_hr_accepts_or_declines_with_a_reason_and_a_decline_lifts_the_hold(personas: Any) -> None:
    appeal = filed_appeal(personas)
    refused(lambda: services.appeal_decline(user=personas["hr"], appeal=appeal, reason=""), 400)
    refused(lambda: services.appeal_accept(user=personas["leader"], appeal=appeal), 403)
    refused(lambda: services.appeal_accept(user=personas["employee"], appeal=appeal), 403)
    refused(lambda: services.appeal_accept(user=personas["hr"], appeal=appeal, expected_version=99), 409)
    declined = services.appeal_decline(
        user=personas["hrsup"], appeal=appeal, reason="对考核制度本身的意见，请走意见反馈"
    )
    assert (declined.state, declined.hr_reason) == ("declined", "对考核制度本身的意见，请走意见反馈")
    assert not CycleHold.objects.exists()
    assert told("appeal.declined") == {"p_employee"}
    event = AuditEvent.objects.get(action="appeal.decline")
    assert "对考核制度本身的意见" in event.body


def test_the_rechecker_is_a_committee_member_with_no_part_in_the_result(personas: Any) -> None:
    appeal = accepted_appeal(personas)
    assert told("appeal.accepted") == {"p_employee"}
    eligible = set(rechecker_candidates(appeal))
    assert eligible == {personas["leader"].pk, personas["deputy"].pk, personas["member"].pk}
    # The head rated the employee and heads their department: a committee role does not change that.
    RoleGrant.objects.create(user=personas["head"], role="committee_member")
    RoleGrant.objects.create(user=personas["employee"], role="committee_member")
    ConflictDeclaration.objects.create(
        cycle=appeal.cycle, rater=personas.employees["deputy"], ratee=personas.employees["employee"],
        reason="亲属", declared_by=personas["deputy"],
    )  # fmt: skip
    assert set(rechecker_candidates(appeal)) == {personas["leader"].pk, personas["member"].pk}
    for name in ("head", "employee", "deputy", "hr"):
        assign = functools.partial(
            services.appeal_assign, user=personas["hr"], appeal=appeal, rechecker_id=personas[name].pk
        )
        refused(assign, 403)
    refused(
        lambda: services.appeal_assign(
            user=personas["member"], appeal=appeal, rechecker_id=personas["leader"].pk
        ),
        403,
    )

    assigned = services.appeal_assign(
        user=personas["deputy"], appeal=appeal, rechecker_id=personas["member"].pk
    )
    assert (assigned.state, assigned.rechecker_id) == ("rechecking", personas["member"].pk)
    assert told("appeal.assigned") == {"p_member"}


def test_the_reporting_line_reaches_up_the_managers_and_the_heads_of_parent_departments(
    personas: Any,
) -> None:
    from jixiao.org.models import Department

    employees = personas.employees
    top = Department.objects.create(code="P-TOP", name="总部", head=employees["leader"])
    Department.objects.filter(pk=personas.department.pk).update(parent=top)
    employees["head"].manager = employees["deputy"]
    employees["head"].save()
    conflicted = conflicted_employee_ids(result_of(personas))
    assert {employees["head"].pk, employees["deputy"].pk, employees["leader"].pk} <= conflicted
    assert set(eligible_rechecker_ids(conflicted, personas["employee"].pk)) == {personas["member"].pk}


def test_a_leader_above_the_appellant_who_did_not_rate_them_still_decides(personas: Any) -> None:
    """The reporting line keeps someone from rechecking, not from deciding: the leader is usually
    the general manager, at the top of every line (decision 42)."""
    from jixiao.org.models import Department

    top = Department.objects.create(code="P-TOP", name="总部", head=personas.employees["leader"])
    Department.objects.filter(pk=personas.department.pk).update(parent=top)
    appeal = rechecking_appeal(personas)
    assert personas.employees["leader"].pk in conflicted_employee_ids(appeal.result)
    appeal = services.appeal_recommend(
        user=personas["member"], appeal=appeal, recommendation="uphold", data={}, reason="评分有据"
    )
    assert not appeal.leader_barred and told("appeal.recommended") == {"p_leader"}
    refused(
        lambda: services.appeal_decide(user=personas["deputy"], appeal=appeal, adjust=False, reason="维持"),
        403,
    )
    done = services.appeal_decide(user=personas["leader"], appeal=appeal, adjust=False, reason="维持")
    assert done.state == "upheld" and done.decided_by_id == personas["leader"].pk


def test_statements_are_asked_of_the_raters_only_and_answered_once(personas: Any) -> None:
    appeal = rechecking_appeal(personas)
    ask = services.statement_request
    refused(
        lambda: ask(user=personas["hr"], appeal=appeal, rater_id=personas.employees["head"].pk, question="?"),
        403,
    )
    refused(
        lambda: ask(
            user=personas["member"], appeal=appeal, rater_id=personas.employees["hr"].pk, question="?"
        ),
        400,
    )
    refused(
        lambda: ask(
            user=personas["member"], appeal=appeal, rater_id=personas.employees["head"].pk, question=""
        ),
        400,
    )
    statement = statement_asked(personas)
    assert told("appeal.statement_requested") == {"p_head"}
    assert AuditEvent.objects.filter(action="appeal.request_statement", object_id=str(appeal.pk)).count() == 1

    answer = services.statement_answer
    refused(lambda: answer(user=personas["colleague"], statement=statement, answer="x"), 403)
    refused(lambda: answer(user=personas["head"], statement=statement, answer="x" * 2001), 400)
    done = answer(user=personas["head"], statement=statement, answer="按项目贡献评定为良。")
    assert (done.state, done.answer) == ("answered", "按项目贡献评定为良。")
    assert told("appeal.statement_answered") == {"p_member"}
    refused(lambda: answer(user=personas["head"], statement=done, answer="改口"), 409)


def test_uphold_recommended_and_decided_lifts_the_hold_and_tells_the_appellant_and_hr(personas: Any) -> None:
    appeal = rechecking_appeal(personas)
    recommend = services.appeal_recommend
    refused(
        lambda: recommend(
            user=personas["leader"], appeal=appeal, recommendation="uphold", data={}, reason="r"
        ),
        403,
    )
    refused(
        lambda: recommend(
            user=personas["member"], appeal=appeal, recommendation="maybe", data={}, reason="r"
        ),
        400,
    )
    refused(
        lambda: recommend(
            user=personas["member"], appeal=appeal, recommendation="adjust", data={}, reason="r"
        ),
        400,
    )
    refused(
        lambda: recommend(
            user=personas["member"], appeal=appeal, recommendation="uphold", data={}, reason=""
        ),
        400,
    )
    appeal = recommend(
        user=personas["member"], appeal=appeal, recommendation="uphold", data={}, reason="评分有据"
    )
    assert appeal.state == "recommended" and told("appeal.recommended") == {"p_leader"}

    decide = services.appeal_decide
    refused(lambda: decide(user=personas["deputy"], appeal=appeal, adjust=False, reason="维持"), 403)
    refused(lambda: decide(user=personas["member"], appeal=appeal, adjust=False, reason="维持"), 403)
    refused(
        lambda: decide(user=personas["leader"], appeal=appeal, adjust=True, reason="调整"), 409
    )  # nothing to apply
    decided = decide(user=personas["leader"], appeal=appeal, adjust=False, reason="复核意见成立，维持原结果")
    assert decided.state == "upheld" and decided.figures_before == decided.figures_after
    assert decided.figures_before["total_milli"] == result_of(personas).total_milli
    assert not CycleHold.objects.exists()
    assert told("appeal.decided") == {"p_employee", "p_hr", "p_hrsup"}


def test_the_leader_stands_aside_when_they_rechecked_and_the_deputy_decides(personas: Any) -> None:
    appeal = rechecking_appeal(personas, rechecker="leader")
    assert appeal.leader_barred
    appeal = services.appeal_recommend(
        user=personas["leader"], appeal=appeal, recommendation="uphold", data={}, reason="评分有据"
    )
    assert told("appeal.recommended") == {"p_deputy"}
    refused(
        lambda: services.appeal_decide(user=personas["leader"], appeal=appeal, adjust=False, reason="维持"),
        403,
    )
    done = services.appeal_decide(user=personas["deputy"], appeal=appeal, adjust=False, reason="维持")
    assert done.state == "upheld"


def test_a_leader_who_rated_the_appellant_is_barred_at_the_decision(personas: Any) -> None:
    from jixiao.cycles.entry.models import Score

    appeal = rechecking_appeal(personas)
    appeal = services.appeal_recommend(
        user=personas["member"], appeal=appeal, recommendation="uphold", data={}, reason="有据"
    )
    # A rating by the leader found after the recommendation: the guard reads today's data.
    Score.objects.create(
        member=appeal.result.member, indicator_key="teamwork", rater_kind="committee",
        rater=personas.employees["leader"], value="good",
    )  # fmt: skip
    refused(
        lambda: services.appeal_decide(user=personas["leader"], appeal=appeal, adjust=False, reason="维持"),
        403,
    )


def test_the_decider_returns_a_case_and_the_appellant_withdraws_one(personas: Any) -> None:
    appeal = rechecking_appeal(personas)
    appeal = services.appeal_recommend(
        user=personas["member"], appeal=appeal, recommendation="uphold", data={}, reason="有据"
    )
    refused(lambda: services.appeal_return(user=personas["leader"], appeal=appeal, reason=""), 400)
    back = services.appeal_return(user=personas["leader"], appeal=appeal, reason="请核对第二个项目")
    assert back.state == "rechecking" and told("appeal.returned") == {"p_member"}
    refused(lambda: services.appeal_withdraw(user=personas["hr"], appeal=back), 403)
    gone = services.appeal_withdraw(user=personas["employee"], appeal=back, reason="已沟通清楚")
    assert gone.state == "withdrawn" and not CycleHold.objects.exists()
    assert told("appeal.withdrawn") == {"p_hr", "p_hrsup"}
    refused(lambda: services.appeal_withdraw(user=personas["employee"], appeal=gone), 409)


def test_an_open_appeal_keeps_the_cycle_from_locking(personas: Any) -> None:
    from jixiao.cycles.lifecycle.services import cycle_lock

    appeal = filed_appeal(personas)
    cycle = Cycle.objects.get(pk=appeal.cycle_id)
    with pytest.raises(JixiaoError) as error:
        cycle_lock(user=personas["hr"], cycle=cycle)
    assert f"申诉 AP-{appeal.pk} 尚未办结" in error.value.zh
    services.appeal_decline(user=personas["hr"], appeal=appeal, reason="不属于申诉范围")
    assert cycle_lock(user=personas["hr"], cycle=Cycle.objects.get(pk=cycle.pk)).state == "locked"
