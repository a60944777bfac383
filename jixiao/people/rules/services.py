"""Writes of rules that propose (issue 13): rule sets and their rules, running the active rules on
a locked cycle, and deciding the proposals they make.

Rule sets and rules are edited with ``audited_create`` / ``audited_write`` while the set is a
draft; its steps (submit, return, activate, retire) are rows of ``workflow.RULE_SET``. Running the
rules creates proposals, at most one per (rule, person, cycle), in one transaction with one audit
event each; a proposal's steps are rows of ``workflow.PROPOSAL``. Approving a reward or penalty
proposes and approves its sanction in the same transaction (proposed by the system with
``source="proposal:<pk>"``, approved by the approver through the sanction's own table), in the
cycle's month or, once that month's pay is released, the first month after it that is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jixiao.access.actor import SYSTEM, ActingUser, stored_user
from jixiao.access.models import Role
from jixiao.access.policy import can, require
from jixiao.audit.services import audit_record, audit_record_many, snapshot
from jixiao.common.errors import JixiaoError
from jixiao.common.validators import parse_text, refuse
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.lifecycle.models import State as CycleState
from jixiao.engine.people_rules import MAX_RUN, ConditionError, fires, parse_condition
from jixiao.engine.text import Text
from jixiao.notifications.services import notify, users_with_roles
from jixiao.pay.bounds import money_checked
from jixiao.pay.monthly.models import MonthlyPayRun, Sanction
from jixiao.pay.monthly.sanctions import sanction_decide, sanction_propose
from jixiao.workflow.services import audited_create, audited_write, locked, transition_apply

from .history import Timeline, run_cycles, timeline_load
from .models import (
    MONEY_KINDS,
    ActionKind,
    CycleKind,
    Proposal,
    Rule,
    RuleSet,
    RuleSetState,
)
from .workflow import PROPOSAL, RULE_SET

NAME_LENGTH = 100
NOTE_LENGTH = 2_000
REASON_LENGTH = 2_000
MAX_RULES = 50  # rules in one set
MONTHS_AHEAD = 36  # how far past a released month a sanction may be placed
RULE_FIELDS = ("rule_set", "position", "name", "cycle_kind", "condition", "action", "amount_fen")
SET_FIELDS = ("name", "note", "state", "based_on")
APPROVERS = (Role.HR_SUPERVISOR, Role.COMMITTEE_LEADER)


def _text(value: object, zh: str, en: str, *, max_length: int, required: bool = False) -> str:
    field = Text(zh, en)
    text = parse_text(value, field=field, max_length=max_length, required=required)
    if "\x00" in text:
        raise refuse(field, "含有不可见的控制字符。", "contains an invisible control character.")
    return text


# -- rule sets ------------------------------------------------------------------------------


def rule_set_create(*, user: ActingUser, name: str, note: str = "") -> RuleSet:
    """A new draft rule set (HR)."""
    require(user, "rule_set.create")
    row = RuleSet(
        name=_text(name, "名称", "Name", max_length=NAME_LENGTH, required=True),
        note=_text(note, "说明", "Note", max_length=NOTE_LENGTH),
        author=stored_user(user),
    )
    return audited_create(user=user, obj=row, action="rule_set.create", fields=SET_FIELDS)


def rule_set_update(
    *, user: ActingUser, rule_set: RuleSet, name: str, note: str, version: int | None = None
) -> RuleSet:
    """Rename a draft rule set or change its note."""
    require(user, "rule_set.edit", rule_set)
    name = _text(name, "名称", "Name", max_length=NAME_LENGTH, required=True)
    note = _text(note, "说明", "Note", max_length=NOTE_LENGTH)

    def change(row: RuleSet) -> None:
        row.name, row.note = name, note

    return audited_write(
        user=user, obj=rule_set, action="rule_set.update", change=change, expected_version=version,
        states=[RuleSetState.DRAFT], workflow=RULE_SET, fields=("name", "note"), skip_unchanged=True,
    )  # fmt: skip


def rule_set_copy(*, user: ActingUser, rule_set: RuleSet) -> RuleSet:
    """A new draft with the rules of ``rule_set`` (to change an active set: copy, edit, activate)."""
    require(user, "rule_set.create")
    require(user, "rule_set.view")
    with transaction.atomic():
        copy = RuleSet(
            name=f"{rule_set.name}（新版）"[:NAME_LENGTH], note=rule_set.note, author=stored_user(user),
            based_on=rule_set,
        )  # fmt: skip
        audited_create(user=user, obj=copy, action="rule_set.create", fields=SET_FIELDS)
        rules = [
            Rule(
                rule_set=copy,
                position=r.position,
                name=r.name,
                cycle_kind=r.cycle_kind,
                condition=r.condition,
                action=r.action,
                amount_fen=r.amount_fen,
            )
            for r in rule_set.rules.all()
        ]
        created = Rule.objects.bulk_create(rules)
        audit_record_many(
            actor=user,
            events=[{"obj": r, "action": "rule.create", "after": snapshot(r, RULE_FIELDS)} for r in created],
        )
    return copy


@dataclass(frozen=True)
class RuleInput:
    """What a rule is made of, as a form or the demo gives it (amount in fen; 0 without money)."""

    condition: str
    action: str
    amount_fen: int = 0
    cycle_kind: str = CycleKind.MONTH
    name: str = ""


def _rule_checked(data: RuleInput) -> dict[str, Any]:
    """The rule's fields, each checked; the condition in the engine's canonical form."""
    try:
        condition = parse_condition(data.condition).text
    except ConditionError as error:
        raise refuse(
            Text("条件", "Condition"), error.message.zh, error.message.en, code="condition"
        ) from None
    if data.action not in ActionKind.values:
        raise refuse(Text("措施", "Action"), "请选择措施。", "choose an action.", code="action")
    if data.cycle_kind not in CycleKind.values:
        raise refuse(
            Text("周期类型", "Cycle kind"), "请选择周期类型。", "choose a cycle kind.", code="cycle_kind"
        )
    amount = money_checked(data.amount_fen, Text("金额", "The amount"))
    if amount < 0:
        raise refuse(Text("金额", "Amount"), "不能为负数。", "cannot be negative.", code="amount")
    if data.action in MONEY_KINDS and amount == 0:
        raise refuse(Text("金额", "Amount"), "奖励或处罚须写明金额。", "a reward or penalty needs an amount.")
    if data.action not in MONEY_KINDS and amount != 0:
        raise refuse(
            Text("金额", "Amount"),
            "只有奖励和处罚带金额，请清空。",
            "only a reward or penalty has an amount: clear it.",
        )
    return {
        "condition": condition, "action": data.action, "amount_fen": amount, "cycle_kind": data.cycle_kind,
        "name": _text(data.name, "名称", "Name", max_length=NAME_LENGTH),
    }  # fmt: skip


def _draft_locked(rule_set: RuleSet) -> RuleSet:
    """The rule set under its row lock, refusing unless it is still a draft (caller is atomic)."""
    current = locked(RuleSet, rule_set.pk)
    if current.state != RuleSetState.DRAFT:
        label = RULE_SET.state_label(current.state)
        raise JixiaoError(
            zh=f"规则集“{current}”当前为“{label.zh}”，只有草稿可以修改规则。",
            en=f"Rule set “{current}” is {label.en}: only a draft's rules can change.",
            code="state",
            status=409,
        )
    return current


def rule_save(
    *,
    user: ActingUser,
    rule_set: RuleSet,
    data: RuleInput,
    rule: Rule | None = None,
    version: int | None = None,
) -> Rule:
    """Add a rule to a draft rule set, or change one of its rules."""
    require(user, "rule_set.edit", rule_set)
    fields = _rule_checked(data)
    with transaction.atomic():
        current = _draft_locked(rule_set)
        if rule is None:
            count = current.rules.count()
            if count >= MAX_RULES:
                raise JixiaoError(
                    zh=f"一个规则集最多 {MAX_RULES} 条规则。", en=f"A rule set has at most {MAX_RULES} rules."
                )
            row = Rule(rule_set=current, position=count + 1, **fields)
            return audited_create(user=user, obj=row, action="rule.create", fields=RULE_FIELDS)
        if rule.rule_set_id != current.pk:
            raise JixiaoError(zh="该规则不属于此规则集。", en="The rule is not in this rule set.", status=404)

        def change(row: Rule) -> None:
            for key, value in fields.items():
                setattr(row, key, value)

        return audited_write(
            user=user, obj=rule, action="rule.update", expected_version=version, fields=RULE_FIELDS, change=change,
            skip_unchanged=True,
        )  # fmt: skip


def rule_delete(*, user: ActingUser, rule: Rule) -> None:
    """Remove a rule from a draft rule set."""
    require(user, "rule_set.edit", rule.rule_set)
    with transaction.atomic():
        _draft_locked(rule.rule_set)
        audit_record(actor=user, action="rule.delete", obj=rule, before=snapshot(rule, RULE_FIELDS))
        rule.delete()


def rule_set_step(
    *, user: ActingUser, rule_set: RuleSet, action: str, reason: str = "", version: int | None = None
) -> RuleSet:
    """Submit, return, activate or retire a rule set (a row of ``RULE_SET``)."""
    reason = _text(reason, "理由", "Reason", max_length=REASON_LENGTH)
    if action == "activate":
        return _activate(user, rule_set, reason, version)
    now = timezone.now()
    changes = {
        "submit": lambda r: setattr(r, "submitted_by", stored_user(user)),
        "retire": lambda r: setattr(r, "retired_at", now),
    }
    return transition_apply(
        user=user, workflow=RULE_SET, obj=rule_set, action=action, reason=reason, expected_version=version,
        change=changes.get(action),
    )  # fmt: skip


def _activate(user: ActingUser, rule_set: RuleSet, reason: str, version: int | None) -> RuleSet:
    """Activate ``rule_set``, retiring the one active before it in the same transaction."""

    def change(row: RuleSet) -> None:
        row.approved_by, row.activated_at = stored_user(user), timezone.now()

    with transaction.atomic():
        for active in (
            RuleSet.objects.select_for_update().filter(state=RuleSetState.ACTIVE).exclude(pk=rule_set.pk)
        ):
            transition_apply(
                user=user, workflow=RULE_SET, obj=active, action="retire",
                reason=f"由规则集“{rule_set.name}”取代 / replaced by “{rule_set.name}”",
                change=lambda r: setattr(r, "retired_at", timezone.now()),
            )  # fmt: skip
        return transition_apply(
            user=user, workflow=RULE_SET, obj=rule_set, action="activate", reason=reason,
            expected_version=version, change=change,
        )  # fmt: skip


# -- running the rules on a locked cycle ----------------------------------------------------


def active_rule_set() -> RuleSet | None:
    return RuleSet.objects.filter(state=RuleSetState.ACTIVE).first()


def _trace(rule: Rule, timeline: Timeline, employee_id: int, count: int) -> dict[str, Any]:
    entries = []
    for index in range(count):
        slot = timeline.slot(employee_id, index)
        assert slot is not None  # the rule fired on these very slots
        e = slot.entry
        entries.append(
            {"result": e.result_id, "cycle": e.cycle, "grade": e.grade, "total": str(e.total), "vetoed": e.vetoed,
             "revision": slot.revision}
        )  # fmt: skip
    return {"condition": rule.condition, "entries": entries}


def _firings(cycle: Cycle, rules: list[Rule], user: ActingUser) -> list[Proposal]:
    """The proposals the rules make on ``cycle`` (two queries: the cycles, their results)."""
    specs = [(rule, rule.spec) for rule in rules]
    depth = min(max((s.condition.count for _, s in specs if s is not None), default=1), MAX_RUN)
    timeline = timeline_load(run_cycles(cycle, depth))
    found: list[Proposal] = []
    for employee_id in sorted(timeline.slots):
        history = timeline.history(employee_id)
        for rule, spec in specs:
            if spec is None or spec.condition.count > MAX_RUN:
                continue
            hit = fires(spec.condition, history)
            if hit is None:
                continue
            first = timeline.slot(employee_id, 0)
            found.append(
                Proposal(
                    rule=rule,
                    employee_id=employee_id,
                    cycle=cycle,
                    kind=rule.action,
                    amount_fen=rule.amount_fen,
                    result_ids=[e.result_id for e in hit],
                    trace=_trace(rule, timeline, employee_id, len(hit)),
                    head_id=first.manager_id
                    if first is not None and rule.action == ActionKind.TALK
                    else None,
                    proposed_by=stored_user(user),
                )
            )
    return found


def proposals_run(*, user: ActingUser, cycle: Cycle) -> int:
    """Run the active rules on the locked ``cycle``: create the proposals not made before (one per
    rule, person and cycle) and tell the approvers. Return how many were created."""
    require(user, "proposal.run")
    with transaction.atomic():
        cycle = locked(Cycle, cycle.pk)  # one run of a cycle at a time
        if cycle.state != CycleState.LOCKED:
            raise JixiaoError(
                zh=f"周期 {cycle.label} 尚未锁定：规则只在锁定的周期上运行。",
                en=f"Cycle {cycle.label} is not locked: rules run on a locked cycle only.",
                code="cycle_not_locked",
                status=409,
            )
        rule_set = active_rule_set()
        rules = [r for r in rule_set.rules.all() if r.cycle_kind == cycle.kind] if rule_set else []
        if not rules:
            return 0
        made = set(Proposal.objects.filter(cycle=cycle).values_list("rule_id", "employee_id"))
        new = [p for p in _firings(cycle, rules, user) if (p.rule_id, p.employee_id) not in made]
        created = Proposal.objects.bulk_create(new)
        audit_record_many(actor=user, events=[_created_event(p) for p in created])
        if created:
            _tell_approvers(cycle, len(created), user)
    return len(created)


def _created_event(proposal: Proposal) -> dict[str, Any]:
    fields = ("rule", "employee", "cycle", "kind", "amount_fen", "result_ids", "head", "state")
    return {"obj": proposal, "action": "proposal.create", "after": snapshot(proposal, fields)}


def _tell_approvers(cycle: Cycle, count: int, user: ActingUser) -> None:
    notify(
        recipients=users_with_roles(*APPROVERS),
        kind="proposal.created",
        text=Text(
            f"周期 {cycle.label} 锁定后，规则提出了 {count} 条建议，待审批。",
            f"After cycle {cycle.label} locked, the rules made {count} proposals to decide.",
        ),
        link=f"{reverse('people_rules:proposals')}?cycle={cycle.pk}",
        exclude=[user],
    )


# -- deciding a proposal --------------------------------------------------------------------


def pay_month(cycle: Cycle) -> str:
    """The month an approved reward or penalty of ``cycle`` is paid in: the cycle's month (its
    last month for a quarter or year) unless that month's pay is released, else the first month
    after it whose pay is not (one query)."""
    month = cycle.label if cycle.kind == Cycle.Kind.MONTH else f"{cycle.end:%Y-%m}"
    released = set(
        MonthlyPayRun.objects.filter(status=MonthlyPayRun.Status.RELEASED, month__gte=month).values_list(
            "month", flat=True
        )
    )
    for _ in range(MONTHS_AHEAD):
        if month not in released:
            return month
        year, mon = (int(x) for x in month.split("-"))
        month = f"{year + mon // 12}-{mon % 12 + 1:02d}"
    raise JixiaoError(
        zh="找不到可以计入的月份：之后的月度薪酬都已发放。",
        en="No month left to pay it in: every later month is released.",
    )


def _sanction_for(user: ActingUser, proposal: Proposal, note: str) -> Sanction:
    """The proposal's sanction, proposed by the system and approved by ``user`` at once."""
    described = proposal.rule.described
    sanction = sanction_propose(
        user=SYSTEM, employee=proposal.employee, month=pay_month(proposal.cycle), kind=proposal.kind,
        amount_fen=proposal.amount_fen, reason=f"规则建议 {proposal.reference}（{proposal.cycle.label}）：{described.zh}",
        origin=Sanction.Origin.RULE, source=proposal.source,
    )  # fmt: skip
    return sanction_decide(user=user, sanction=sanction, action="approve", note=note)


def _user_of(employee: Any) -> int | None:
    return getattr(employee, "user_id", None) if employee is not None else None


def _carry_out(user: ActingUser, proposal: Proposal, note: str) -> None:
    """What an approval does, inside its transaction: the sanction, the plan or the notification."""
    mine = reverse("people_rules:mine")
    when = proposal.cycle.label
    if proposal.is_money:
        proposal.sanction = _sanction_for(user, proposal, note)
    if proposal.kind == ActionKind.IMPROVEMENT:
        _plan_start(user, proposal)
    elif proposal.kind == ActionKind.TALK:
        notify(
            recipients=[_user_of(proposal.head)], kind="proposal.talk", link=proposal.link, exclude=[user],
            text=Text(f"请与 {proposal.employee.name} 谈一谈近期的考核结果（{proposal.reference}）。",
                      f"Please talk with {proposal.employee.name} about their recent results ({proposal.reference})."),
        )  # fmt: skip
    elif proposal.kind in (ActionKind.REWARD, ActionKind.COMMENDATION):
        notify(
            recipients=[_user_of(proposal.employee)], kind="proposal.commended", link=mine, exclude=[user],
            text=Text(f"你因 {when} 前后的考核结果获得表彰，祝贺！", f"You are commended for your results up to {when}."),
        )  # fmt: skip
    elif proposal.kind == ActionKind.PENALTY:
        notify(
            recipients=[_user_of(proposal.employee)], kind="proposal.decided", link=mine, exclude=[user],
            text=Text(f"一项与你 {when} 前后考核结果有关的决定已批准。", f"A decision on your results up to {when} was approved."),
        )  # fmt: skip


def _plan_start(user: ActingUser, proposal: Proposal) -> None:
    """Start the improvement plan through the improvement wing's contract (idempotent per source)."""
    from jixiao.people.improvement.services import improvement_plan_start

    # The approver starts it where they may (HR); otherwise (the committee leader) the system does,
    # on the strength of the approval this plan's source names.
    starter = user if can(user, "improvement_candidate.start", proposal.employee) else SYSTEM
    plan = improvement_plan_start(
        user=starter, employee_id=proposal.employee_id, result_ids=list(proposal.result_ids),
        reason=f"规则建议 {proposal.reference}：{proposal.rule.described.zh}", source=proposal.source,
    )  # fmt: skip
    proposal.improvement_plan_id = plan.pk


def proposal_decide(
    *, user: ActingUser, proposal: Proposal, action: str, reason: str = "", version: int | None = None
) -> Proposal:
    """Approve (with its effect) or reject (with a reason) a proposal; the head records a talk."""
    reason = _text(reason, "意见", "Note", max_length=REASON_LENGTH)
    now = timezone.now()

    def change(row: Proposal) -> None:
        if action == "record_talk":
            row.talk_note, row.talked_at = reason, now
            return
        row.decided_by, row.decided_at, row.decision_reason = stored_user(user), now, reason
        if action == "approve":
            _carry_out(user, row, reason)

    fields = ("state", "decided_by", "decision_reason", "sanction", "improvement_plan_id", "talk_note")
    return transition_apply(
        user=user, workflow=PROPOSAL, obj=proposal, action=action, reason=reason, expected_version=version,
        change=change, fields=fields,
    )  # fmt: skip


# -- for the demo -----------------------------------------------------------------------------


def rule_set_put_in_force(
    *,
    author: ActingUser,
    approver: ActingUser,
    name: str,
    rules: Sequence[RuleInput],
    run_on: Iterable[Cycle] = (),
) -> tuple[RuleSet, int]:
    """Create a rule set with ``rules`` as ``author`` (HR), submit it, activate it as ``approver``
    (the HR supervisor or the committee leader) and run it on each locked cycle of ``run_on``, as
    the system does when a cycle locks. Return the set and how many proposals were made."""
    rule_set = rule_set_create(user=author, name=name)
    for data in rules:
        rule_save(user=author, rule_set=rule_set, data=data)
    rule_set = rule_set_step(user=author, rule_set=rule_set, action="submit")
    rule_set = rule_set_step(user=approver, rule_set=rule_set, action="activate")
    made = sum(proposals_run(user=SYSTEM, cycle=cycle) for cycle in run_on)
    return rule_set, made
