"""Rule sets, running the rules on a locked cycle, and deciding their proposals (issue 13)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.access.actor import SYSTEM
from jixiao.access.policy import can
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.cycles.lifecycle.models import Cycle, State
from jixiao.notifications.models import Notification
from jixiao.pay.monthly.models import Sanction
from jixiao.pay.monthly.sanctions import sanction_propose
from jixiao.people.rules import services
from jixiao.people.rules.models import Proposal, Rule, RuleSet
from jixiao.people.rules.services import RuleInput

from .world import cycle, draft_set, graded, in_force, proposed

pytestmark = pytest.mark.django_db


def written() -> tuple[int, int, int, int]:
    return (
        AuditEvent.objects.count(), Rule.objects.count(), Proposal.objects.count(), Sanction.objects.count()
    )  # fmt: skip


# -- rule sets --------------------------------------------------------------------------------


def test_hr_drafts_and_an_approver_who_is_not_the_author_activates(personas: Any) -> None:
    draft = services.rule_set_create(user=personas["hrsup"], name="2027 规则")
    services.rule_save(user=personas["hrsup"], rule_set=draft, data=RuleInput("grade = D", "improvement"))
    draft = services.rule_set_step(user=personas["hrsup"], rule_set=draft, action="submit")
    assert draft.state == "submitted" and draft.submitted_by == personas["hrsup"]
    with pytest.raises(PermissionRefused):  # the author and submitter may not approve their own
        services.rule_set_step(user=personas["hrsup"], rule_set=draft, action="activate")
    for name in ("hr", "deputy", "member", "employee"):
        assert not can(personas[name], "rule_set.approve", draft), name
    active = services.rule_set_step(user=personas["leader"], rule_set=draft, action="activate")
    assert active.state == "active" and active.approved_by == personas["leader"]
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(draft.pk), object_type="people_rules.ruleset")] == [
        "rule_set.create", "rule_set.submit", "rule_set.activate",
    ]  # fmt: skip


def test_activating_a_set_retires_the_one_active_before(personas: Any) -> None:
    first = in_force(personas)
    second = services.rule_set_copy(user=personas["hr"], rule_set=first)
    assert (
        second.state == "draft" and second.based_on == first and second.rules.count() == first.rules.count()
    )
    second = services.rule_set_step(user=personas["hr"], rule_set=second, action="submit")
    second = services.rule_set_step(user=personas["leader"], rule_set=second, action="activate")
    assert list(RuleSet.objects.filter(state="active")) == [second]
    first.refresh_from_db()
    assert first.state == "retired" and first.retired_at is not None


def test_a_set_with_blocking_findings_is_neither_submitted_nor_activated(personas: Any) -> None:
    draft = draft_set(personas)
    services.rule_save(
        user=personas["hr"], rule_set=draft, data=RuleInput("grade = E for 2 in a row", "reward", 100)
    )
    services.rule_save(
        user=personas["hr"], rule_set=draft, data=RuleInput("veto", "reward", 100)
    )  # vs penalty
    before = written()
    with pytest.raises(JixiaoError) as refused:
        services.rule_set_step(user=personas["hr"], rule_set=draft, action="submit")
    assert refused.value.status == 409 and "2 个须修正的问题" in refused.value.zh
    assert written() == before
    draft.refresh_from_db()
    assert draft.state == "draft"
    from jixiao.people.rules.checks import rule_set_findings

    codes = sorted(item.finding.code for item in rule_set_findings(draft))
    assert codes == ["rules.contradiction", "rules.grade"]


def test_only_a_draft_has_its_rules_changed(personas: Any) -> None:
    active = in_force(personas)
    before = written()
    with pytest.raises(PermissionRefused):
        services.rule_save(user=personas["hr"], rule_set=active, data=RuleInput("grade = D", "talk"))
    with pytest.raises(PermissionRefused):
        services.rule_delete(user=personas["hr"], rule=active.rules.all()[0])
    assert written() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (RuleInput("x" * 20_000, "talk"), "最多 200 个字符"),
        (RuleInput("grade = D", "talk", name="名" * 101), "最多 100 个字"),
        (RuleInput("grade = D", "reward", 0), "须写明金额"),
        (RuleInput("grade = D", "talk", 100), "只有奖励和处罚带金额"),
        (RuleInput("grade = D", "reward", -1), "不能为负数"),
        (RuleInput("grade = D", "reward", Decimal("1e30")), "超出上限"),  # type: ignore[arg-type]
        (RuleInput("grade = D", "reward", Decimal("nan")), "不是有效金额"),  # type: ignore[arg-type]
        (RuleInput("grade = D", "reward", 1.5), "应为金额"),  # type: ignore[arg-type]
        (RuleInput("grade = D", "bonus"), "请选择措施"),
        (RuleInput("grade = D", "talk", cycle_kind="week"), "请选择周期类型"),
        (RuleInput("veto for 99999999999 in a row", "talk"), "1 到 99"),
        (RuleInput("total < nan", "talk"), "总分应为数字"),
        (RuleInput("grade = D", "talk", name="a\x00b"), "控制字符"),
    ],
)
def test_hostile_rules_are_refused_and_write_nothing(personas: Any, data: RuleInput, message: str) -> None:
    draft = draft_set(personas)
    before = written()
    with pytest.raises(JixiaoError) as refused:
        services.rule_save(user=personas["hr"], rule_set=draft, data=data)
    assert message in refused.value.zh and refused.value.en and refused.value.status == 400
    assert written() == before


def test_a_rule_is_stored_in_the_canonical_form_and_read_in_chinese(personas: Any) -> None:
    rule = services.rule_save(
        user=personas["hr"],
        rule_set=draft_set(personas),
        data=RuleInput("  GRADE in ｛A｝ FOR 2 in a row", "reward", 50_000),
    )
    assert rule.condition == "grade = A for 2 in a row"
    assert rule.described.zh == "连续 2 期为 A → 表彰并奖励 500.00 元"


# -- running ------------------------------------------------------------------------------------


def test_the_rules_propose_on_a_locked_cycle_once(personas: Any) -> None:
    made = proposed(personas)
    assert sorted(made) == [
        ("colleague", "improvement"), ("colleague", "talk"), ("employee", "commendation"), ("employee", "reward"),
        ("worker", "talk"),
    ]  # fmt: skip
    reward = made[("employee", "reward")]
    assert reward.amount_fen == 50_000 and reward.state == "proposed" and reward.proposed_by is None
    assert [e["cycle"] for e in reward.trace["entries"]] == ["2026-09", "2026-08"]
    assert [e["grade"] for e in reward.trace["entries"]] == ["A", "A"]
    assert reward.trace["entries"][0]["total"] == "92.5"
    assert len(reward.result_ids) == 2
    assert made[("colleague", "talk")].head == personas.employees["head"]
    assert made[("worker", "talk")].head == personas.employees["other_head"]
    assert AuditEvent.objects.filter(action="proposal.create").count() == 5
    assert Notification.objects.filter(kind="proposal.created", recipient=personas["leader"]).count() == 1
    before = written()
    assert services.proposals_run(user=SYSTEM, cycle=cycle()) == 0  # nothing twice
    assert written() == before


def test_a_cycle_not_yet_locked_is_refused(personas: Any) -> None:
    graded(personas)
    in_force(personas)
    Cycle.objects.filter(label="2026-09").update(state=State.PUBLISHED)
    with pytest.raises(JixiaoError) as refused:
        services.proposals_run(user=SYSTEM, cycle=cycle())
    assert refused.value.status == 409
    assert not Proposal.objects.exists()
    with pytest.raises(PermissionRefused):
        services.proposals_run(user=personas["leader"], cycle=cycle())


def test_a_gap_in_the_history_breaks_a_run(personas: Any) -> None:
    graded(personas)
    in_force(personas)
    from jixiao.cycles.results.models import Result

    Result.objects.filter(cycle__label="2026-08", member__employee=personas.employees["employee"]).delete()
    services.proposals_run(user=SYSTEM, cycle=cycle())
    kinds = set(
        Proposal.objects.filter(employee=personas.employees["employee"]).values_list("kind", flat=True)
    )
    assert kinds == {"commendation"}


# -- deciding -----------------------------------------------------------------------------------


def test_an_approved_reward_becomes_a_sanction_of_the_cycles_month(personas: Any) -> None:
    reward = proposed(personas)[("employee", "reward")]
    done = services.proposal_decide(user=personas["hrsup"], proposal=reward, action="approve")
    assert done.state == "approved" and done.decided_by == personas["hrsup"]
    sanction = done.sanction
    assert sanction is not None
    assert (sanction.month, sanction.kind, sanction.amount_fen, sanction.status, sanction.origin, sanction.source) == (
        "2026-09", "reward", 50_000, "approved", "rule", f"proposal:{reward.pk}",
    )  # fmt: skip
    assert sanction.proposed_by is None and sanction.decided_by == personas["hrsup"]
    assert f"规则建议 {reward.reference}" in sanction.reason
    commended = Notification.objects.get(kind="proposal.commended")
    assert commended.recipient == personas["employee"] and "500" not in commended.text_zh
    with pytest.raises(JixiaoError):  # decided once
        services.proposal_decide(user=personas["leader"], proposal=done, action="approve")
    with pytest.raises(JixiaoError):  # and the same source is never paid twice
        sanction_propose(
            user=SYSTEM, employee=personas.employees["employee"], month="2026-09", kind="reward", amount_fen=1,
            reason="again", source=reward.source,
        )  # fmt: skip
    assert Sanction.objects.count() == 1


def test_neither_the_person_concerned_nor_the_proposer_decides(personas: Any) -> None:
    graded(personas)
    in_force(personas)
    services.proposals_run(user=personas["hrsup"], cycle=cycle())  # HR's button: the supervisor proposes
    talk = Proposal.objects.get(kind="talk", employee=personas.employees["worker"])
    assert talk.proposed_by == personas["hrsup"]
    before = written()
    with pytest.raises(PermissionRefused):
        services.proposal_decide(user=personas["hrsup"], proposal=talk, action="approve")
    assert written() == before
    assert can(personas["leader"], "proposal.decide", talk)
    about_leader = Proposal(employee=personas.employees["leader"], proposed_by=None, kind="talk")
    assert not can(personas["leader"], "proposal.decide", about_leader)
    assert can(personas["hrsup"], "proposal.decide", about_leader)
    for name in ("hr", "deputy", "member", "head", "employee", "finance", "admin"):
        assert not can(personas[name], "proposal.decide", talk), name


def test_a_sanction_is_not_approved_by_the_person_it_concerns(personas: Any) -> None:
    sanction = sanction_propose(
        user=personas["hr"], employee=personas.employees["hrsup"], month="2026-09", kind="reward", amount_fen=100,
        reason="测试奖励",
    )  # fmt: skip
    assert not can(personas["hrsup"], "sanction.approve", sanction)
    assert can(personas["leader"], "sanction.approve", sanction)


def test_a_rejected_proposal_keeps_its_reason_and_pays_nothing(personas: Any) -> None:
    reward = proposed(personas)[("employee", "reward")]
    with pytest.raises(JixiaoError) as refused:
        services.proposal_decide(user=personas["leader"], proposal=reward, action="reject")
    assert refused.value.code == "reason_required"
    done = services.proposal_decide(
        user=personas["leader"], proposal=reward, action="reject", reason="本季度已另行奖励"
    )
    assert done.state == "rejected" and done.decision_reason == "本季度已另行奖励"
    assert not Sanction.objects.exists()
    assert not can(personas["employee"], "proposal.view", done)


def test_above_the_second_approval_threshold_only_the_leader_approves_with_a_reason(
    personas: Any, settings: Any
) -> None:
    settings.JIXIAO_SECOND_APPROVAL_YUAN = 100
    reward = proposed(personas)[("employee", "reward")]
    before = written()
    with pytest.raises(JixiaoError) as refused:
        services.proposal_decide(user=personas["hrsup"], proposal=reward, action="approve")
    assert refused.value.code == "second_approval"
    with pytest.raises(JixiaoError) as refused:
        services.proposal_decide(user=personas["leader"], proposal=reward, action="approve")
    assert refused.value.code == "second_approval"  # the leader, but without a reason
    assert written() == before
    done = services.proposal_decide(
        user=personas["leader"], proposal=reward, action="approve", reason="连续两期优秀，按制度奖励"
    )
    assert done.sanction is not None and done.sanction.decision_note == "连续两期优秀，按制度奖励"


def test_an_approved_talk_waits_on_the_head_who_records_it(personas: Any) -> None:
    talk = proposed(personas)[("colleague", "talk")]
    talk = services.proposal_decide(user=personas["leader"], proposal=talk, action="approve")
    told = Notification.objects.get(kind="proposal.talk")
    assert told.recipient == personas["head"] and told.link == talk.link
    assert not Notification.objects.filter(
        recipient=personas["colleague"], kind__startswith="proposal."
    ).exists()
    with pytest.raises(PermissionRefused):
        services.proposal_decide(
            user=personas["other_head"], proposal=talk, action="record_talk", reason="谈过"
        )
    done = services.proposal_decide(
        user=personas["head"], proposal=talk, action="record_talk", reason="已面谈，约定下月跟进"
    )
    assert done.state == "done" and done.talk_note == "已面谈，约定下月跟进" and done.talked_at is not None


def test_an_approved_improvement_proposal_starts_a_plan_once(personas: Any) -> None:
    from jixiao.people.improvement.models import ImprovementPlan

    plan_proposal = proposed(personas)[("colleague", "improvement")]
    done = services.proposal_decide(user=personas["leader"], proposal=plan_proposal, action="approve")
    plan = ImprovementPlan.objects.get(source=plan_proposal.source)
    assert done.improvement_plan_id == plan.pk and plan.employee == personas.employees["colleague"]
    assert sorted(plan.results.values_list("pk", flat=True)) == sorted(plan_proposal.result_ids)
    assert not Sanction.objects.exists()


def test_the_demo_function_puts_a_set_in_force_and_runs_it(personas: Any) -> None:
    graded(personas)
    rule_set, made = services.rule_set_put_in_force(
        author=personas["hr"], approver=personas["leader"], name="演示规则",
        rules=[RuleInput("grade = D", "improvement")], run_on=[cycle("2026-08"), cycle("2026-09")],
    )  # fmt: skip
    assert rule_set.state == "active" and made == 1


def test_a_run_costs_the_same_queries_for_more_people(personas: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.cycles.lifecycle.models import CycleMember
    from jixiao.cycles.results.models import Result
    from jixiao.org.models import Employee

    graded(personas)
    in_force(personas)

    def run() -> tuple[int, int]:
        Proposal.objects.all().delete()  # scaffolding: run the same cycle afresh
        with CaptureQueriesContext(connection) as queries:
            made = services.proposals_run(user=SYSTEM, cycle=cycle())
        return made, len(queries)

    made, few = run()
    for n in range(5):  # five more people graded like the employee in both cycles
        employee = Employee.objects.create(number=f"X{n}", name=f"新人{n}", department=personas.department)
        for label in ("2026-08", "2026-09"):
            result = Result.objects.get(cycle__label=label, member__employee=personas.employees["employee"])
            member = CycleMember.objects.get(pk=result.member_id)
            member.pk, member.employee = None, employee
            member.save()
            result.pk, result.member = None, member
            result.save()
    more, many = run()
    assert (made, more) == (5, 15) and many == few
