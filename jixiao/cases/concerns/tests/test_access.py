"""Who sees a complaint or an allegation: never the person it names, nor anyone in their
reporting line (manager chain, heads of their department and its parents), whatever their role;
the handler and the reporter do. The object rule and the scope rule agree on every case."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.access.policy import can, scope
from jixiao.cases.concerns.models import Concern
from jixiao.cases.concerns.selectors import inbox_items
from jixiao.cases.concerns.tests.world import allegation, anonymous, complaint
from jixiao.demo.personas import PERSONA_NAMES

pytestmark = pytest.mark.django_db


def _every_kind_of_case(p: Any) -> list[Concern]:
    cases = [
        allegation(p),  # against the colleague: the deputy handles
        allegation(p, subject="deputy", reporter="colleague"),  # names the deputy: the leader handles
        allegation(p, subject="worker", reporter="head"),  # in the plant: other_head is screened
        complaint(p),  # about the head
        complaint(p, reporter="colleague", subject=None),  # about the process, naming nobody
        anonymous(p)[0],
    ]
    # After filing, the deputy becomes the worker's manager: the live check screens them too.
    worker = p.employees["worker"]
    worker.manager = p.employees["deputy"]
    worker.save()
    return cases


@pytest.mark.parametrize("action", ["concern.view", "concern.handle"])
def test_scope_and_can_agree_on_every_case_for_every_persona(personas: Any, action: str) -> None:
    cases = _every_kind_of_case(personas)
    for name in PERSONA_NAMES:
        user = personas[name]
        visible = set(scope(user, action, Concern.objects.all()).values_list("pk", flat=True))
        for case in Concern.objects.all():
            assert (case.pk in visible) == can(user, action, case), (name, action, case.reference)
    assert len(cases) == Concern.objects.count()


def _readers(p: Any, case: Concern) -> set[str]:
    return {name for name in PERSONA_NAMES if can(p[name], "concern.view", case)}


def test_who_reads_each_case(personas: Any) -> None:
    against_colleague, against_deputy, against_worker, about_head, about_process, anon = _every_kind_of_case(
        personas
    )
    assert _readers(personas, against_colleague) == {"employee", "deputy"}
    assert _readers(personas, against_deputy) == {"colleague", "leader"}
    # The worker's manager is now the deputy: screened, though they would handle it.
    assert _readers(personas, against_worker) == {"head"}
    # A complaint: both committee officers read it, the head it is about does not.
    assert _readers(personas, about_head) == {"employee", "deputy", "leader"}
    assert _readers(personas, about_process) == {"colleague", "deputy", "leader"}
    # The anonymous reporter has no login: the handler alone reads it here.
    assert _readers(personas, anon) == {"deputy"}


def test_a_head_of_a_parent_department_is_screened(personas: Any) -> None:
    office = personas.employees["deputy"].department
    office.head = personas.employees["deputy"]
    office.save()
    sales = personas.department
    sales.parent = office
    sales.save()
    case = allegation(personas)
    assert case.handler_role == "committee_leader", "every deputy is in the colleague's line"
    assert not can(personas["deputy"], "concern.view", case)
    assert can(personas["leader"], "concern.view", case)


def _found(client: Any, case: Concern) -> dict[str, Any]:
    """Whether ``client`` finds the case: listed, by its words, by its number, its page, as mine."""
    link = f'href="{reverse("concerns:detail", args=[case.pk])}"'
    listing = client.get(reverse("concerns:list"))
    searched = client.get(reverse("concerns:list"), {"q": case.title})
    by_reference = client.get(reverse("concerns:list"), {"q": case.reference})
    detail = client.get(reverse("concerns:detail", args=[case.pk]))
    mine = client.get(reverse("concerns:mine"), {"q": case.title})
    return {
        "list": listing.status_code == 200 and link in listing.content.decode(),
        "search": searched.status_code == 200 and link in searched.content.decode(),
        "reference": by_reference.status_code == 200 and link in by_reference.content.decode(),
        "detail": detail.status_code,
        "mine": link in mine.content.decode(),
    }


NOT_FOUND = {"list": False, "search": False, "reference": False, "detail": 404, "mine": False}


def test_the_named_person_cannot_find_it(personas: Any, client_for: Any) -> None:
    """The deputy is named: as a deputy they list and search cases, and still never see this one."""
    case = allegation(personas, subject="deputy", reporter="colleague")
    assert _found(client_for("deputy"), case) == NOT_FOUND
    assert not [i for i in inbox_items(user=personas["deputy"]) if i.reference == case.reference]
    found = _found(client_for("leader"), case)
    assert found["list"] and found["search"] and found["reference"] and found["detail"] == 200


def test_the_named_persons_manager_cannot_find_it(personas: Any, client_for: Any) -> None:
    """The deputy manages the named colleague: the allegation goes to the leader; the deputy,
    the persona head (the colleague's head) and the colleague find nothing."""
    colleague = personas.employees["colleague"]
    colleague.manager = personas.employees["deputy"]
    colleague.save()
    case = allegation(personas)
    for name in ("deputy", "head", "colleague"):
        found = _found(client_for(name), case)
        assert found == NOT_FOUND, name
    assert _found(client_for("leader"), case)["detail"] == 200


def test_a_manager_appointed_after_filing_cannot_find_it_either(personas: Any, client_for: Any) -> None:
    case = allegation(personas)
    assert _found(client_for("deputy"), case)["detail"] == 200
    colleague = personas.employees["colleague"]
    colleague.manager = personas.employees["deputy"]
    colleague.save()
    assert _found(client_for("deputy"), case) == NOT_FOUND


def test_evidence_downloads_follow_the_case(personas: Any, client_for: Any) -> None:
    case = allegation(personas, evidence=True)
    evidence = case.files.get()
    url = reverse("concerns:download", args=[case.pk, evidence.pk])
    assert client_for("deputy").get(url).status_code == 200
    response = client_for("employee").get(url)
    assert response.status_code == 200 and response.getvalue() == "证据：会议记录".encode()
    for name in ("colleague", "head", "leader", "hr", "admin", "auditor"):
        assert client_for(name).get(url).status_code == 404, name
    # A file of another case is not reached through this one.
    other = allegation(personas, reporter="head", subject="worker", evidence=True)
    wrong = reverse("concerns:download", args=[case.pk, other.files.get().pk])
    assert client_for("employee").get(wrong).status_code == 404


def test_the_reporter_never_reads_internal_notes_or_their_files(personas: Any, client_for: Any) -> None:
    from jixiao.cases.concerns import services
    from jixiao.cases.concerns.tests.world import text_file

    case = allegation(personas)
    deputy = personas["deputy"]
    note = services.concern_note(
        user=deputy, concern=case, text="内部：调取了评分日志。", evidence=[text_file("log.txt")]
    )
    services.concern_note(user=deputy, concern=case, text="我们已开始调查。", to_reporter=True)
    page = client_for("employee").get(reverse("concerns:detail", args=[case.pk])).content.decode()
    assert "我们已开始调查" in page and "调取了评分日志" not in page and "log.txt" not in page
    internal_file = note.files.get()
    url = reverse("concerns:download", args=[case.pk, internal_file.pk])
    assert client_for("employee").get(url).status_code == 404
    assert client_for("deputy").get(url).status_code == 200
    handler_page = client_for("deputy").get(reverse("concerns:detail", args=[case.pk])).content.decode()
    assert "调取了评分日志" in handler_page
