"""Who sees a proposal (issue 13, SPEC §10): HR and the committee every one; the person concerned
their own once approved (never pending or rejected: growth first); the head named for a talk that
talk once approved. Scope and can agree for every persona and proposal."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.access.policy import can, scope
from jixiao.access.rules import people_rules as rules
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.people.rules import services
from jixiao.people.rules.models import SHOWN_TO_EMPLOYEE, ActionKind, Proposal, RuleSetState

from .world import proposed

pytestmark = pytest.mark.django_db

READERS = {"hr", "hrsup", "leader", "deputy", "member"}


def viewers(proposal: Proposal, personas: Any) -> set[str]:
    return {name for name in PERSONA_NAMES if can(personas[name], "proposal.view", proposal)}


def _every_state(personas: Any) -> dict[tuple[str, str], Proposal]:
    made = proposed(personas)
    made[("colleague", "talk")] = services.proposal_decide(
        user=personas["leader"], proposal=made[("colleague", "talk")], action="approve"
    )
    made[("worker", "talk")] = services.proposal_decide(
        user=personas["leader"], proposal=made[("worker", "talk")], action="reject", reason="已另行安排"
    )
    made[("employee", "commendation")] = services.proposal_decide(
        user=personas["hrsup"], proposal=made[("employee", "commendation")], action="approve"
    )
    return made


def test_the_person_concerned_sees_an_approved_proposal_never_a_pending_one(personas: Any) -> None:
    made = _every_state(personas)
    assert viewers(made[("employee", "reward")], personas) == READERS  # pending: not the employee
    assert viewers(made[("employee", "commendation")], personas) == READERS | {"employee"}
    assert viewers(made[("colleague", "improvement")], personas) == READERS
    # an approved talk: the colleague and the head who holds it; a rejected one: neither
    assert viewers(made[("colleague", "talk")], personas) == READERS | {"colleague", "head"}
    assert viewers(made[("worker", "talk")], personas) == READERS


def test_scope_and_can_agree_for_every_persona_and_proposal(personas: Any) -> None:
    _every_state(personas)
    done = Proposal.objects.get(kind="talk", state="approved")
    services.proposal_decide(user=personas["head"], proposal=done, action="record_talk", reason="已谈话")
    assert set(Proposal.objects.values_list("state", flat=True)) == {
        "proposed",
        "approved",
        "rejected",
        "done",
    }
    for name in PERSONA_NAMES:
        user = personas[name]
        visible = set(scope(user, "proposal.view", Proposal.objects.all()).values_list("pk", flat=True))
        for proposal in Proposal.objects.all():
            assert (proposal.pk in visible) == can(user, "proposal.view", proposal), (name, proposal)


def test_who_drafts_activates_runs_and_records(personas: Any) -> None:
    made = _every_state(personas)

    def who(action: str, obj: Any = None) -> set[str]:
        return {name for name in PERSONA_NAMES if can(personas[name], action, obj)}

    assert who("rule_set.view") == READERS
    assert who("rule_set.create") == {"hr", "hrsup"}
    assert who("proposal.run") == {"hr", "hrsup"}
    assert who("proposal.list") == READERS
    assert who("proposal.decide", made[("employee", "reward")]) == {"hrsup", "leader"}
    assert who("proposal.talk", made[("colleague", "talk")]) == {"head"}
    active = made[("employee", "reward")].rule.rule_set
    assert who("rule_set.approve", active) == {"hrsup", "leader"}  # HR drafted and submitted it
    assert who("rule_set.edit", active) == set()  # only a draft is edited


def test_the_access_rules_read_the_models_codes() -> None:
    assert rules.RULE_SET_DRAFT == RuleSetState.DRAFT
    assert set(rules.PROPOSAL_SHOWN) == set(SHOWN_TO_EMPLOYEE)
    assert rules.TALK == ActionKind.TALK


def test_what_waits_on_each_person_here(personas: Any) -> None:
    from jixiao.people.rules.selectors import todo_count

    made = proposed(personas)
    assert todo_count(user=personas["leader"]) == 5 and todo_count(user=personas["hr"]) == 0
    services.proposal_decide(user=personas["leader"], proposal=made[("colleague", "talk")], action="approve")
    assert todo_count(user=personas["head"]) == 1  # the talk to hold
    assert todo_count(user=personas["leader"]) == 4 and todo_count(user=personas["employee"]) == 0


@pytest.mark.django_db
def test_the_person_concerned_reads_their_proposal_only_as_far_as_the_release_shows(
    personas: Any, client_for: Any
) -> None:
    """A cycle that keeps totals and grades from employees keeps them off their proposal page too
    (the trace rows and the explanation name them); HR still sees them."""
    from django.urls import reverse

    from jixiao.cycles.lifecycle.models import Cycle

    made = proposed(personas)
    commendation = services.proposal_decide(
        user=personas["hrsup"], proposal=made[("employee", "commendation")], action="approve"
    )
    url = reverse("people_rules:proposal", args=[commendation.pk])
    entries = commendation.trace["entries"]
    shown = client_for("employee").get(url).content.decode()
    assert all(str(e["total"]) in shown for e in entries)
    Cycle.objects.filter(label__in=[e["cycle"] for e in entries]).update(
        release_score=False, release_grade=False
    )
    held = client_for("employee").get(url).content.decode()
    assert all(str(e["total"]) not in held for e in entries) and 'id="trace-lines"><li>' not in held
    assert all(str(e["total"]) in client_for("hr").get(url).content.decode() for e in entries)
