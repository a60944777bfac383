"""Rules that propose, for the persona company: its two monthly cycles (2026-08, 2026-09) marked
locked and given known grades (test scaffolding: the cycle workflow and grading have their own
tests), an active rule set put in force through the real services, and its proposals."""

from __future__ import annotations

from typing import Any

from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.cycles.results.models import Result
from jixiao.people.rules import services
from jixiao.people.rules.models import Proposal, RuleSet, RuleSetState
from jixiao.people.rules.services import RuleInput

# name → {cycle label: (grade, total in milli-points)}
GRADES: dict[str, dict[str, tuple[str, int]]] = {
    "employee": {"2026-08": ("A", 95_000), "2026-09": ("A", 92_500)},
    "colleague": {"2026-08": ("C", 65_000), "2026-09": ("D", 40_000)},
    "worker": {"2026-08": ("C", 70_000), "2026-09": ("C", 61_000)},
}
RULES = (
    RuleInput("grade in {A} for 2 in a row", "reward", 50_000, name="两期优秀"),
    RuleInput("grade = D", "improvement", name="待改进"),
    RuleInput("grade in {C, D} for 2 in a row", "talk", name="连续偏低"),
    RuleInput("total >= 90", "commendation", name="高分表彰"),
)


def graded(p: Any, grades: dict[str, dict[str, tuple[str, int]]] = GRADES) -> None:
    """Set the persona results' grades and totals (B, 85 for those not named), and lock both
    persona cycles."""
    Result.objects.filter(cycle__label__in=["2026-08", "2026-09"]).update(grade="B", total_milli=85_000)
    for name, by_cycle in grades.items():
        for label, (grade, milli) in by_cycle.items():
            Result.objects.filter(cycle__label=label, member__employee=p.employees[name]).update(
                grade=grade, total_milli=milli
            )
    Cycle.objects.filter(label__in=["2026-08", "2026-09"]).update(state=State.LOCKED)


def cycle(label: str = "2026-09") -> Cycle:
    return Cycle.objects.get(label=label)


def in_force(p: Any, rules: tuple[RuleInput, ...] = RULES) -> RuleSet:
    """The persona rule set, drafted by HR and activated by the HR supervisor (once)."""
    found = RuleSet.objects.filter(state=RuleSetState.ACTIVE).first()
    if found is not None:
        return found
    rule_set, _ = services.rule_set_put_in_force(
        author=p["hr"], approver=p["hrsup"], name="测试规则", rules=rules
    )
    return rule_set


def proposed(p: Any) -> dict[tuple[str, str], Proposal]:
    """The proposals the persona rules make on 2026-09, by (persona, kind)."""
    graded(p)
    in_force(p)
    from jixiao.access.actor import SYSTEM

    services.proposals_run(user=SYSTEM, cycle=cycle())
    names = {e.pk: name for name, e in p.employees.items()}
    return {
        (names[x.employee_id], x.kind): x
        for x in Proposal.objects.select_related("cycle", "rule", "employee")
    }


def approved_talk(p: Any) -> Proposal:
    """The colleague's talk with their head, approved by the HR supervisor (once)."""
    talk = proposed(p)[("colleague", "talk")]
    if talk.state == "proposed":
        talk = services.proposal_decide(user=p["hrsup"], proposal=talk, action="approve")
    return talk


def draft_set(p: Any) -> RuleSet:
    """A draft rule set with one rule (HR's), for the edit pages."""
    found = RuleSet.objects.filter(state=RuleSetState.DRAFT).first()
    if found is not None:
        return found
    draft = services.rule_set_create(user=p["hr"], name="草稿规则")
    services.rule_save(user=p["hr"], rule_set=draft, data=RuleInput("veto", "penalty", 10_000))
    return draft
