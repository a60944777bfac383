"""Rules that propose (奖惩规则与建议, issue 13, SPEC §7).

A :class:`RuleSet` is drafted by HR, submitted, and activated by the HR supervisor or the
committee leader (never its author); one rule set is active at a time. Each :class:`Rule` reads
a person's most recent results of one cycle kind with a condition of the engine's language
(``jixiao.engine.people_rules``) and proposes one action. When a cycle locks, the active rules
run on it and create :class:`Proposal` rows — never money: someone who is neither the person
concerned nor the proposer approves each. An approved reward or penalty becomes a sanction in
that month's pay (``pay.Sanction`` with ``source="proposal:<pk>"``); an approved improvement
plan is started; an approved talk waits on the head until they record it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.engine.people_rules import Action, Condition, ConditionError, Entry, RuleSpec, parse_condition
from jixiao.engine.text import Text


class RuleSetState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待批准")
    ACTIVE = "active", _("生效中")
    RETIRED = "retired", _("已停用")


# Named state sets: only a draft is edited; only the active set runs.
EDITABLE = frozenset({RuleSetState.DRAFT})
RUNS = frozenset({RuleSetState.ACTIVE})


class ActionKind(models.TextChoices):
    """What a rule proposes (the engine's :class:`~jixiao.engine.people_rules.Action`)."""

    REWARD = Action.REWARD.value, _("表彰并奖励")
    PENALTY = Action.PENALTY.value, _("处罚")
    COMMENDATION = Action.COMMENDATION.value, _("表彰")
    IMPROVEMENT = Action.IMPROVEMENT.value, _("绩效改进计划")
    TALK = Action.TALK.value, _("上级谈话")


MONEY_KINDS = frozenset({ActionKind.REWARD, ActionKind.PENALTY})


class CycleKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class RuleSet(TimeStamped):
    """A set of rules HR drafts and an approver activates; one is active at a time."""

    name = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=RuleSetState.choices, default=RuleSetState.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system (the demo loader)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=models.Q(state="active"), name="rules_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def link(self) -> str:
        return reverse("people_rules:rule_set", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE

    @property
    def is_active(self) -> bool:
        return self.state in RUNS


class Rule(TimeStamped):
    """One rule: on results of ``cycle_kind``, when ``condition`` holds, propose ``action``
    (with ``amount_fen`` for a reward or penalty)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    cycle_kind = models.CharField(
        _("周期类型"), max_length=8, choices=CycleKind.choices, default=CycleKind.MONTH
    )
    condition = models.CharField(_("条件"), max_length=200)  # the engine's canonical text
    action = models.CharField(_("措施"), max_length=16, choices=ActionKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)

    class Meta:
        ordering = ["rule_set_id", "position", "pk"]

    def __str__(self) -> str:
        return self.name or self.condition

    @property
    def parsed(self) -> Condition | None:
        """The condition as the engine reads it (None if the stored text no longer parses)."""
        try:
            return parse_condition(self.condition)
        except ConditionError:
            return None

    @property
    def spec(self) -> RuleSpec | None:
        condition = self.parsed
        if condition is None:
            return None
        return RuleSpec(condition, Action(self.action), self.amount_fen, self.cycle_kind, self.name)

    @property
    def described(self) -> Text:
        """“连续 2 期为 A → 表彰并奖励 500.00 元”."""
        spec = self.spec
        return spec.describe() if spec is not None else Text(self.condition)

    @property
    def is_money(self) -> bool:
        return self.action in MONEY_KINDS


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    DONE = "done", _("已谈话")


# Named state sets: what waits on an approver; what the person concerned may see (decided in
# their favour or against them, never pending or rejected: growth first).
PENDING = frozenset({ProposalState.PROPOSED})
SHOWN_TO_EMPLOYEE = frozenset({ProposalState.APPROVED, ProposalState.DONE})


class Proposal(TimeStamped):
    """What a rule proposes for one person after one cycle; at most one per (rule, person, cycle),
    so running the rules again on a cycle creates nothing twice. ``trace`` keeps the results
    that fired it as they were then (the engine explains it again from them)."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="proposals")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    cycle = models.ForeignKey("cycles.Cycle", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("措施"), max_length=16, choices=ActionKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
    result_ids = models.JSONField(default=list)  # the results that fired it, most recent first
    # {"condition": canonical text, "entries": [{"result", "cycle", "grade", "total", "vetoed", "revision"}]}
    trace = models.JSONField(default=dict)
    # The head who holds the talk: the person's manager in that cycle.
    head = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=ProposalState.choices, default=ProposalState.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: the system (the lock's job or the command)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    sanction = models.ForeignKey(
        "pay.Sanction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    improvement_plan_id = models.PositiveIntegerField(null=True, blank=True)  # improvement wing's plan
    talk_note = models.TextField(_("谈话记录"), blank=True)
    talked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "employee", "cycle"], name="rules_proposal_once"),
            models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="rules_proposal_amount"),
        ]
        indexes = [models.Index(fields=["state", "cycle"], name="rules_proposal_state")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """How people name it: PR-12."""
        return f"PR-{self.pk}"

    @property
    def source(self) -> str:
        """How a sanction or an improvement plan names it."""
        return f"proposal:{self.pk}"

    @property
    def link(self) -> str:
        return reverse("people_rules:proposal", args=[self.pk])

    @property
    def is_money(self) -> bool:
        return self.kind in MONEY_KINDS

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING

    @property
    def entries(self) -> list[Entry]:
        """The results that fired it, as the engine reads them."""
        rows: list[dict[str, Any]] = list(self.trace.get("entries", []))
        return [
            Entry(
                int(r["result"]),
                str(r["cycle"]),
                str(r["grade"]),
                Decimal(str(r["total"])),
                bool(r["vetoed"]),
            )
            for r in rows
        ]
