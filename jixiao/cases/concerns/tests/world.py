"""Cases for tests (and the access matrix): an allegation, a complaint, a suggestion of the
persona company, filed through the services."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.cases.concerns import services
from jixiao.cases.concerns.models import Concern


def text_file(name: str = "evidence.txt", body: bytes = "证据：会议记录".encode()) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


def allegation(
    p: Any, *, reporter: str = "employee", subject: str = "colleague", evidence: bool = False
) -> Concern:
    """An allegation by ``reporter`` against ``subject`` (by default: the employee against their
    colleague, whose manager and department head is the persona head; the deputy handles it)."""
    return services.concern_file(
        user=p[reporter],
        kind="allegation",
        title="评分徇私",
        text="同事的评分明显高于其实际业绩，疑似负责人徇私。",
        subject=p.employees[subject],
        evidence=[text_file()] if evidence else [],
    )


def complaint(p: Any, *, reporter: str = "employee", subject: str | None = "head") -> Concern:
    """A complaint about the process (by default: the employee's head never held the interview)."""
    return services.concern_file(
        user=p[reporter],
        kind="complaint",
        title="未进行绩效面谈",
        text="公布结果后负责人一直没有进行面谈。",
        subject=p.employees[subject] if subject else None,
    )


def anonymous(p: Any, *, subject: str = "colleague") -> tuple[Concern, str]:
    """An anonymous allegation against ``subject`` and its follow-up code."""
    person = p.employees[subject]
    return services.concern_file_anonymous(
        address="198.51.100.1", title="数据造假", text="KPI 数据被改动过。", subject_name=person.name
    )
