"""Complaints and allegations, service by service: each step, each refusal (which writes
nothing), who handles, who is screened, who is told."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.cases.concerns import services
from jixiao.cases.concerns.models import Concern, ConcernFile, ConcernNote, ConcernScreen
from jixiao.cases.concerns.tests.world import allegation, complaint, text_file
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int, int]:
    return (
        AuditEvent.objects.count(),
        Concern.objects.count(),
        ConcernNote.objects.count(),
        ConcernFile.objects.count(),
        Notification.objects.count(),
    )


def _refused(status: int, call: Any) -> JixiaoError:
    before = _counts()
    with pytest.raises(JixiaoError) as refused:
        call()
    assert refused.value.status == status, refused.value
    assert _counts() == before, "a refusal wrote something"
    return refused.value


def test_filing_an_allegation_screens_the_named_person_and_their_line_and_tells_the_deputy(
    personas: Any,
) -> None:
    case = allegation(personas, evidence=True)
    assert (case.state, case.kind, case.handler_role, case.anonymous) == (
        "filed",
        "allegation",
        "committee_deputy",
        False,
    )
    assert case.reporter == personas["employee"]
    screened = set(ConcernScreen.objects.filter(concern=case).values_list("employee_id", flat=True))
    assert screened == {personas.employees["colleague"].pk, personas.employees["head"].pk}
    assert case.files.get().name == "evidence.txt"
    told = Notification.objects.filter(kind="concern.filed")
    assert list(told.values_list("recipient_id", flat=True)) == [personas["deputy"].pk]
    assert "评分徇私" not in told.get().text_zh, "a notification names no words of the case"
    event = AuditEvent.objects.get(action="concern.file")
    assert event.actor_id == personas["employee"].pk
    assert "徇私" not in event.body, "the audit log keeps the words' digest, not the words"
    assert case.content_sha256 in event.body


def test_an_allegation_naming_the_deputy_goes_to_the_leader(personas: Any) -> None:
    case = allegation(personas, subject="deputy")
    assert case.handler_role == "committee_leader"
    told = Notification.objects.filter(kind="concern.filed")
    assert list(told.values_list("recipient_id", flat=True)) == [personas["leader"].pk]


def test_when_every_deputy_is_in_the_named_persons_line_the_leader_handles(personas: Any) -> None:
    colleague = personas.employees["colleague"]
    colleague.manager = personas.employees["deputy"]
    colleague.save()
    case = allegation(personas)
    assert case.handler_role == "committee_leader"
    assert personas.employees["deputy"].pk in case.screened_ids()


def test_the_raters_of_a_named_result_are_screened(personas: Any) -> None:
    result = _published_result(personas)
    case = services.concern_file(
        user=personas["employee"],
        kind="complaint",
        title="评分不公",
        text="评分人没有看我的数据。",
        cycle=result.cycle,
        result=result,
    )
    raters = set(
        result.member.scores.exclude(rater=result.member.employee).values_list("rater_id", flat=True)
    )
    assert raters and raters <= case.screened_ids()
    assert personas.employees["employee"].pk not in case.screened_ids()


def _published_result(personas: Any) -> Any:
    from jixiao.cycles.results.models import Result

    return (
        Result.objects.filter(member__employee=personas.employees["employee"], cycle__state="published")
        .select_related("cycle", "member")
        .first()
    )


def test_a_result_that_is_not_ones_own_is_refused(personas: Any) -> None:
    from jixiao.cycles.results.models import Result

    theirs = Result.objects.exclude(member__employee=personas.employees["employee"]).first()
    assert theirs is not None
    _refused(
        400,
        lambda: services.concern_file(
            user=personas["employee"], kind="complaint", title="t", text="x", result=theirs
        ),
    )


def test_filing_refusals_write_nothing(personas: Any) -> None:
    employee = personas["employee"]
    me = personas.employees["employee"]
    _refused(400, lambda: services.concern_file(user=employee, kind="allegation", title="t", text="x"))
    _refused(400, lambda: services.concern_file(user=employee, kind="rumour", title="t", text="x"))
    _refused(
        400, lambda: services.concern_file(user=employee, kind="allegation", title="t", text="x", subject=me)
    )
    _refused(400, lambda: services.concern_file(user=employee, kind="complaint", title="", text="x"))
    _refused(
        400, lambda: services.concern_file(user=employee, kind="complaint", title="t", text="x" * 10_001)
    )
    _refused(400, lambda: services.concern_file(user=employee, kind="complaint", title="t" * 201, text="x"))
    _refused(400, lambda: services.concern_file(user=employee, kind="complaint", title="t", text="a\x00b"))
    fake = text_file("photo.png", b"not a png at all")
    _refused(
        400,
        lambda: services.concern_file(user=employee, kind="complaint", title="t", text="x", evidence=[fake]),
    )
    six = [text_file(f"{i}.txt") for i in range(6)]
    _refused(
        400, lambda: services.concern_file(user=employee, kind="complaint", title="t", text="x", evidence=six)
    )
    exe = text_file("tool.exe", b"MZ\x90\x00")
    _refused(
        400,
        lambda: services.concern_file(user=employee, kind="complaint", title="t", text="x", evidence=[exe]),
    )
    from jixiao.access.actor import SYSTEM

    _refused(403, lambda: services.concern_file(user=SYSTEM, kind="complaint", title="t", text="x"))


def test_investigate_reply_note_and_conclude(personas: Any) -> None:
    deputy, employee = personas["deputy"], personas["employee"]
    case = allegation(personas)
    case = services.concern_investigate(user=deputy, concern=case, expected_version=case.version)
    assert case.state == "investigating"
    services.concern_note(user=deputy, concern=case, text="内部：已调取评分记录。")
    services.concern_note(user=deputy, concern=case, text="已开始调查，请补充证据。", to_reporter=True)
    replies = Notification.objects.filter(kind="concern.replied")
    assert list(replies.values_list("recipient_id", flat=True)) == [employee.pk]
    info = services.concern_add_info(
        user=employee, concern=case, text="补充：评分表截图。", evidence=[text_file()]
    )
    assert info.kind == "reporter_info" and info.files.count() == 1
    assert Notification.objects.filter(kind="concern.info_added", recipient=deputy).exists()
    case.refresh_from_db()
    closed = services.concern_conclude(
        user=deputy, concern=case, outcome="partly_substantiated", closing_note="部分属实，已纠正评分。"
    )
    assert (closed.state, closed.outcome, closed.closed_by) == ("closed", "partly_substantiated", deputy)
    assert Notification.objects.filter(kind="concern.closed", recipient=employee).exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="concern.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "concern.file",
        "concern.investigate",
        "concern.note",
        "concern.reply",
        "concern.add_info",
        "concern.attach",
        "concern.conclude",
    ]


def test_decline_closes_a_filed_case_as_out_of_scope(personas: Any) -> None:
    case = complaint(personas)
    closed = services.concern_decline(
        user=personas["deputy"], concern=case, closing_note="属于薪酬争议，请向人力资源部反映。"
    )
    assert (closed.state, closed.outcome) == ("closed", "out_of_scope")


def test_steps_refused_write_nothing(personas: Any) -> None:
    deputy, leader, employee = personas["deputy"], personas["leader"], personas["employee"]
    case = allegation(personas)
    # Nobody but the handler acts; the reporter does not handle their own case.
    for who in (leader, employee, personas["colleague"], personas["head"], personas["hr"]):
        _refused(403, lambda who=who: services.concern_investigate(user=who, concern=case))
        _refused(403, lambda who=who: services.concern_note(user=who, concern=case, text="x"))
    # A filed case cannot be concluded; it is investigated first (or declined).
    _refused(
        409,
        lambda: services.concern_conclude(
            user=deputy, concern=case, outcome="substantiated", closing_note="x"
        ),
    )
    _refused(400, lambda: services.concern_decline(user=deputy, concern=case, closing_note=" "))
    _refused(
        409,
        lambda: services.concern_investigate(user=deputy, concern=case, expected_version=case.version + 5),
    )
    case = services.concern_investigate(user=deputy, concern=case)
    _refused(
        400, lambda: services.concern_conclude(user=deputy, concern=case, outcome="nan", closing_note="x")
    )
    _refused(
        400,
        lambda: services.concern_conclude(
            user=deputy, concern=case, outcome="substantiated", closing_note=""
        ),
    )
    _refused(403, lambda: services.concern_add_info(user=personas["colleague"], concern=case, text="x"))
    services.concern_conclude(user=deputy, concern=case, outcome="not_substantiated", closing_note="不属实。")
    case.refresh_from_db()
    # A closed case takes no more notes, replies or information, and no step.
    _refused(409, lambda: services.concern_note(user=deputy, concern=case, text="x"))
    _refused(409, lambda: services.concern_add_info(user=employee, concern=case, text="x"))
    _refused(409, lambda: services.concern_investigate(user=deputy, concern=case))


def test_links_to_flags_and_results(personas: Any) -> None:
    from jixiao.cycles.lifecycle.models import Cycle

    deputy = personas["deputy"]
    case = allegation(personas)
    cycle = Cycle.objects.filter(state="published").first()
    assert cycle is not None
    flag = services.concern_link(
        user=deputy,
        concern=case,
        kind="integrity_flag",
        cycle=cycle,
        flag_kind="uniform",
        text="测试head 给 3 人的评分完全相同",
    )
    assert (flag.flag_kind, flag.result) == ("uniform", None)
    number = personas.employees["colleague"].number
    linked = services.concern_link(
        user=deputy, concern=case, kind="appraisal_result", cycle=cycle, number=number
    )
    assert linked.result is not None and linked.result.member.employee == personas.employees["colleague"]
    _refused(
        400,
        lambda: services.concern_link(
            user=deputy, concern=case, kind="integrity_flag", cycle=cycle, flag_kind="nan", text="x"
        ),
    )
    _refused(
        400,
        lambda: services.concern_link(
            user=deputy, concern=case, kind="appraisal_result", cycle=cycle, number="NOBODY"
        ),
    )
    _refused(
        403,
        lambda: services.concern_link(
            user=personas["employee"],
            concern=case,
            kind="integrity_flag",
            cycle=cycle,
            flag_kind="late",
            text="x",
        ),
    )


def test_anonymous_filing_finds_the_person_by_name_and_number(personas: Any) -> None:
    colleague = personas.employees["colleague"]
    case, code = services.concern_file_anonymous(
        address="192.0.2.9", title="t", text="x", subject_name=colleague.name, subject_number=colleague.number
    )
    assert case.subject == colleague and len(code.replace("-", "")) == 32
    assert case.code_hash and code not in case.code_hash
    _refused(
        400,
        lambda: services.concern_file_anonymous(
            address="192.0.2.9", title="t", text="x", subject_name="没有这个人"
        ),
    )
    _refused(
        400,
        lambda: services.concern_file_anonymous(
            address="192.0.2.9", title="t", text="x", subject_name=colleague.name, subject_number="P999"
        ),
    )


def test_two_people_with_one_name_need_the_number(personas: Any) -> None:
    from jixiao.org.models import Employee

    colleague = personas.employees["colleague"]
    Employee.objects.create(number="P777", name=colleague.name, department=personas.other_department)
    _refused(
        400,
        lambda: services.concern_file_anonymous(
            address="192.0.2.8", title="t", text="x", subject_name=colleague.name
        ),
    )
    case, _code = services.concern_file_anonymous(
        address="192.0.2.8", title="t", text="x", subject_name=colleague.name, subject_number="P777"
    )
    assert case.subject is not None and case.subject.number == "P777"


def test_permission_refusal_is_a_403(personas: Any) -> None:
    case = allegation(personas)
    with pytest.raises(PermissionRefused):
        services.concern_decline(user=personas["member"], concern=case, closing_note="x")
