"""Appeals for the persona company: the employee appeals their result of the published persona
cycle 2026-08 (rated by their head), taken as far as a test needs through the real services."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.cases.appeals import services
from jixiao.cases.appeals.models import Appeal, Statement
from jixiao.cycles.results.models import Result


def result_of(personas: Any, name: str = "employee", label: str = "2026-08") -> Result:
    return Result.objects.select_related("cycle", "member__snapshot", "member__employee").get(
        cycle__label=label, member__employee=personas.employees[name]
    )


def note(name: str = "note.txt", body: bytes = "加班记录：10 月 3 日至 5 日".encode()) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


def filed_appeal(
    personas: Any, *, indicators: tuple[str, ...] = ("teamwork",), label: str = "2026-08"
) -> Appeal:
    """The employee's appeal on one indicator with one evidence file (state filed)."""
    existing = Appeal.objects.filter(
        result__cycle__label=label, appellant=personas.employees["employee"]
    ).first()
    if existing is not None:
        return existing
    return services.appeal_file(
        user=personas["employee"],
        result=result_of(personas, label=label),
        indicators=list(indicators),
        reason="团队协作评分与实际不符：本月主导了两个跨部门项目。",
        files=[note()],
    )


def accepted_appeal(personas: Any) -> Appeal:
    appeal = filed_appeal(personas)
    if appeal.state == "filed":
        appeal = services.appeal_accept(user=personas["hr"], appeal=appeal, reason="属于申诉范围")
    return appeal


def rechecking_appeal(personas: Any, rechecker: str = "member") -> Appeal:
    """Accepted by HR and assigned to the committee member."""
    appeal = accepted_appeal(personas)
    if appeal.state == "accepted":
        appeal = services.appeal_assign(
            user=personas["hr"], appeal=appeal, rechecker_id=personas[rechecker].pk
        )
    return appeal


def statement_asked(personas: Any) -> Statement:
    """The rechecker asked the employee's head (their rater) for a statement."""
    appeal = rechecking_appeal(personas)
    found = Statement.objects.filter(appeal=appeal).first()
    if found is not None:
        return found
    return services.statement_request(
        user=personas["member"],
        appeal=appeal,
        rater_id=personas.employees["head"].pk,
        question="请说明团队协作评分的依据。",
    )
