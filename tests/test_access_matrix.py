"""Every URL × every persona: the expected outcome, from one table (SPEC §10).

The test walks the URL resolver, so a new URL without a row here fails until someone decides
who may open it. Pages are fetched with GET; POST-only endpoints answer 405 to GET and are
covered for POST by their own view tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jixiao.demo.personas import PERSONA_NAMES

LOGGED_IN = [name for name in PERSONA_NAMES if name != "anonymous"]
ORG_MANAGERS = {"hr", "hrsup", "admin"}
# The system administrator manages accounts, roles and the organisation but, without an
# appraisal or finance role, runs no cycle and reads no pay, score or result (SPEC §10).
CYCLE_MANAGERS = ORG_MANAGERS - {"admin"}


def everyone(status: int = 200) -> dict[str, int]:
    """Every logged-in persona gets ``status``; anonymous is sent to the login page."""
    return {"anonymous": 302, **dict.fromkeys(LOGGED_IN, status)}


def only(allowed: set[str], status: int = 200) -> dict[str, int]:
    """The ``allowed`` personas get ``status``; other logged-in ones 403; anonymous to login."""
    return {"anonymous": 302, **{name: status if name in allowed else 403 for name in LOGGED_IN}}


def hidden(allowed: set[str], status: int = 200) -> dict[str, int]:
    """Like ``only`` but the others get 404: the object's existence is not revealed to them."""
    return {"anonymous": 302, **{name: status if name in allowed else 404 for name in LOGGED_IN}}


def public(status: int, logged_in: int) -> dict[str, int]:
    return {"anonymous": status, **dict.fromkeys(LOGGED_IN, logged_in)}


Kwargs = Callable[[Any], dict[str, Any]]
NO_ARGS: Kwargs = lambda p: {}  # noqa: E731
# Plans: heads create for their departments, HR for any; a published plan is read by its
# department's employees, a draft only by its head, HR and the committee.
PLAN_CREATORS = {"head", "other_head", "hr", "hrsup", "admin"}
PLAN_READERS = {"head", "hr", "hrsup", "leader", "deputy", "member", "admin"}


def plan(p: Any) -> dict[str, Any]:
    return {"pk": p.plans["published"].pk}


def framework(p: Any) -> dict[str, Any]:
    return {"pk": p.plans["framework"].pk}


# Pay (§4, §10): pay officers see everything; a head sees their department's pay plan (to
# simulate it) but no one else's pay; everyone sees their own pay page.
PAY_OFFICERS = {"hr", "hrsup", "finance", "leader", "deputy"}


def pay(key: str) -> Kwargs:
    from jixiao.pay.annual.tests.world import pay_world

    return lambda p: {"pk": pay_world(p)[key].pk}


def monthly_run(p: Any) -> dict[str, Any]:
    """A released monthly run of the persona sales department (only pay officers open it)."""
    from jixiao.pay.monthly.tests.world import released_run

    return {"pk": released_run(p).pk}


# Cycles: the persona cycle 2026-10, closed for scoring (results computed, not yet published).
APPRAISAL_READERS = {"hr", "hrsup", "leader", "deputy", "member"}


# Training: who sees the persona session (see the training rows of MATRIX).
TRAINING_VIEWERS = {"employee", "colleague", "head", "hr", "hrsup", "leader", "deputy", "member"}
# Appeals: who sees the persona appeal (see the appeals rows of MATRIX).
APPEAL_VIEWERS = {"employee", "hr", "hrsup", "leader", "deputy", "member", "head"}

# Improvement plans: who sees and who writes the persona plan (see the improvement rows of MATRIX).
IMPROVEMENT_VIEWERS = {"employee", "head", "hr", "hrsup", "leader", "deputy", "member"}
IMPROVEMENT_WRITERS = {"head", "hr", "hrsup"}
# Cadre review: HR, the committee and the heads (see the cadres rows of MATRIX).
CADRE_READERS = APPRAISAL_READERS | {"head", "other_head"}
# Work plans: a draft's forms are HR's; the committee, who read plans, are refused them.
WORKPLAN_EDITORS = {**hidden({"hr", "hrsup"}), **dict.fromkeys(APPRAISAL_READERS - {"hr", "hrsup"}, 403)}


def appeal_world(p: Any, key: str) -> int:
    """Ids of the persona appeal world: the appeal, its evidence file, the statement asked of the
    head, and the colleague's result (which has no appeal)."""
    from jixiao.cases.appeals.tests.world import result_of, statement_asked

    statement = statement_asked(p)
    ids = {
        "appeal": statement.appeal_id,
        "file": statement.appeal.files.get().pk,
        "statement": statement.pk,
        "colleague_result": result_of(p, "colleague").pk,
    }
    return ids[key]


def cycle(p: Any) -> dict[str, Any]:
    from jixiao.cycles.tests.helpers import closed_cycle

    return {"pk": closed_cycle(p).pk}


def member(p: Any) -> dict[str, Any]:
    from jixiao.cycles.tests.helpers import closed_cycle, member_of

    return {"pk": member_of(p, closed_cycle(p)).pk}


def result(p: Any) -> dict[str, Any]:
    from jixiao.cycles.tests.helpers import closed_cycle, member_of

    return {"pk": member_of(p, closed_cycle(p)).result.pk}


MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "home": (NO_ARGS, everyone()),
    "login": (NO_ARGS, public(200, 302)),
    "logout": (NO_ARGS, everyone(405)),
    "set_language": (NO_ARGS, public(302, 302)),
    "org:departments": (NO_ARGS, everyone()),
    "org:department_create": (NO_ARGS, only(ORG_MANAGERS)),
    "org:department_detail": (lambda p: {"pk": p.department.pk}, everyone()),
    "org:department_edit": (lambda p: {"pk": p.department.pk}, only(ORG_MANAGERS)),
    "org:positions": (NO_ARGS, everyone()),
    "org:position_create": (NO_ARGS, only(ORG_MANAGERS)),
    "org:position_detail": (lambda p: {"pk": p.position.pk}, everyone()),
    "org:position_edit": (lambda p: {"pk": p.position.pk}, only(ORG_MANAGERS)),
    "org:employees": (NO_ARGS, everyone()),
    "org:employee_create": (NO_ARGS, only(ORG_MANAGERS)),
    "org:employee_detail": (lambda p: {"pk": p.employees["employee"].pk}, everyone()),
    "org:employee_edit": (lambda p: {"pk": p.employees["employee"].pk}, only(ORG_MANAGERS)),
    "org:import": (NO_ARGS, only(ORG_MANAGERS)),
    "org:import_template": (NO_ARGS, only(ORG_MANAGERS)),
    "plans:plans": (NO_ARGS, everyone()),
    "plans:my_plan": (NO_ARGS, everyone()),
    "plans:plan_create": (NO_ARGS, only(PLAN_CREATORS)),
    "plans:plan_detail": (plan, hidden(PLAN_READERS | {"employee", "colleague"})),
    "plans:indicator_add": (plan, everyone(405)),
    "plans:indicator_save": (lambda p: {**plan(p), "index": 0}, everyone(405)),
    "plans:indicator_delete": (lambda p: {**plan(p), "index": 0}, everyone(405)),
    "plans:plan_transition": (plan, everyone(405)),
    "plans:comment_add": (plan, everyone(405)),
    "plans:comment_answer": (lambda p: {**plan(p), "comment_pk": 1}, everyone(405)),
    "plans:plan_new_version": (plan, everyone(405)),
    "plans:revision_diff": (
        lambda p: {**plan(p), "round_": 1},
        hidden(PLAN_READERS | {"employee", "colleague"}),
    ),
    "plans:plan_export": (
        lambda p: {**plan(p), "fmt": "toml"},
        hidden(PLAN_READERS | {"employee", "colleague"}),
    ),
    "plans:plan_import": (plan, everyone(405)),
    "plans:meeting_create": (NO_ARGS, only({"leader", "deputy"})),
    "plans:framework_create": (NO_ARGS, only({"hr", "hrsup", "admin"})),
    "plans:framework_detail": (framework, everyone()),
    "plans:framework_edit": (framework, only({"hr", "hrsup", "admin"})),
    "plans:framework_transition": (framework, everyone(405)),
    "plans:framework_new_version": (framework, everyone(405)),
    "cycles:cycles": (NO_ARGS, everyone()),
    "cycles:cycle_create": (NO_ARGS, only(CYCLE_MANAGERS)),
    "cycles:my_results": (NO_ARGS, everyone()),
    "cycles:cycle_detail": (cycle, everyone()),
    "cycles:cycle_transition": (cycle, everyone(405)),
    # closing scoring as a background job (HR): start by POST, its progress fragment
    "cycles:close_start": (cycle, everyone(405)),
    "cycles:close_progress": (cycle, only(CYCLE_MANAGERS)),
    "cycles:grid": (cycle, everyone()),
    "cycles:self_assessment": (cycle, everyone()),
    "cycles:actuals": (cycle, only(CYCLE_MANAGERS)),
    "cycles:actuals_template": (cycle, only(CYCLE_MANAGERS)),
    # manual entry: HR and heads (their department); the persona cycle is closed, so 409
    "cycles:actuals_entry": (cycle, only(CYCLE_MANAGERS | {"head", "other_head"}, 409)),
    "cycles:results": (cycle, only(APPRAISAL_READERS | {"head", "other_head"})),
    "cycles:score_save": (member, everyone(405)),
    "cycles:actual_save": (member, everyone(405)),
    "cycles:self_submit": (member, everyone(405)),
    # Before publishing, only HR, the committee and the employee's own head read the result.
    "cycles:result_detail": (result, hidden(APPRAISAL_READERS | {"head"})),
    # Calibration (校准): HR and the committee read it; moves are POSTs (leader/deputy, tested apart).
    "cycles:calibration": (cycle, only(APPRAISAL_READERS)),
    "cycles:calibration_move": (result, everyone(405)),
    # Summaries and rectification: HR, the committee and heads (of their own departments only).
    "cycles:summaries": (cycle, only(APPRAISAL_READERS | {"head", "other_head"})),
    "cycles:summary_detail": (
        lambda p: {**cycle(p), "department_pk": p.department.pk},
        hidden(APPRAISAL_READERS | {"head"}),
    ),
    "cycles:summary_check": (lambda p: {"pk": 1}, everyone(405)),
    "cycles:finding_add": (lambda p: {"pk": 1}, everyone(405)),
    "cycles:rectifications": (NO_ARGS, only(APPRAISAL_READERS | {"head", "other_head"})),
    "cycles:rectification_answer": (lambda p: {"pk": 1}, everyone(405)),
    "cycles:rectification_verify": (lambda p: {"pk": 1}, everyone(405)),
    "cycles:release": (cycle, only(CYCLE_MANAGERS)),
    "cycles:interview_progress": (cycle, only(APPRAISAL_READERS | {"head", "other_head"})),
    # The interview form: the member's head records it; the member and HR see the member (403),
    # everyone else does not (404).
    "cycles:interview_record": (
        member,
        {**hidden({"head"}), **dict.fromkeys(APPRAISAL_READERS | {"employee"}, 403)},
    ),
    "cycles:interview_acknowledge": (lambda p: {"pk": 1}, everyone(405)),
    "access:roles": (NO_ARGS, only({"admin", "auditor"})),
    "access:role_change": (NO_ARGS, everyone(405)),
    "integrity:audit_events": (NO_ARGS, only({"admin", "auditor"})),
    # Integrity flags name raters, scores and KPI shares: HR and the committee, not heads or auditors.
    "integrity:flag_cycles": (NO_ARGS, only(APPRAISAL_READERS)),
    "integrity:cycle_flags": (cycle, only(APPRAISAL_READERS)),
    "pay:my_pay": (NO_ARGS, everyone()),
    "pay:structures": (NO_ARGS, only(PAY_OFFICERS)),
    "pay:structure_edit": (lambda p: {"pk": p.position.pk}, only(CYCLE_MANAGERS)),
    "pay:profits": (NO_ARGS, only(PAY_OFFICERS)),
    "pay:profit_transition": (pay("profit"), everyone(405)),
    "pay:bonus_plan": (pay("plan"), only(PAY_OFFICERS | {"head"})),
    "pay:runs": (NO_ARGS, only(PAY_OFFICERS)),
    "pay:run_detail": (pay("run"), only(PAY_OFFICERS)),
    "pay:run_release": (pay("run"), everyone(405)),
    "pay:run_export": (pay("run"), everyone(405)),
    "pay:monthly_runs": (NO_ARGS, only(PAY_OFFICERS)),
    "pay:monthly_run_detail": (monthly_run, only(PAY_OFFICERS)),
    "pay:monthly_run_release": (monthly_run, everyone(405)),
    "pay:monthly_run_export": (monthly_run, everyone(405)),
    "pay:monthly_run_adjust": (monthly_run, everyone(405)),
    "pay:travel": (NO_ARGS, only(CYCLE_MANAGERS)),
    "pay:travel_import": (NO_ARGS, everyone(405)),
    "pay:travel_template": (NO_ARGS, only(CYCLE_MANAGERS)),
    "pay:completions": (NO_ARGS, only(PAY_OFFICERS | {"member"})),
    "pay:sanctions": (NO_ARGS, only(PAY_OFFICERS | {"member"})),
    "pay:sanction_decide": (lambda p: {"pk": 1}, everyone(405)),
    # Appeals (issue 12): the employee's appeal on the 2026-08 result, accepted, assigned to the
    # committee member, who asked the head (the employee's rater) for a statement. It is seen by
    # the appellant, HR, the leader, the deputy, the rechecker and the rater asked; others get 404.
    "appeals:list": (NO_ARGS, only(APPRAISAL_READERS)),
    "appeals:mine": (NO_ARGS, everyone()),
    # Filing on the colleague's result: theirs alone; those who may read it 403, others 404.
    "appeals:file": (
        lambda p: {"pk": appeal_world(p, "colleague_result")},
        {**hidden({"colleague"}), **dict.fromkeys(APPRAISAL_READERS | {"head"}, 403)},
    ),
    "appeals:detail": (lambda p: {"pk": appeal_world(p, "appeal")}, hidden(APPEAL_VIEWERS)),
    "appeals:evidence": (lambda p: {"pk": appeal_world(p, "file")}, hidden(APPEAL_VIEWERS)),
    "appeals:step": (lambda p: {"pk": 1}, everyone(405)),
    "appeals:statement_request": (lambda p: {"pk": 1}, everyone(405)),
    "appeals:assign": (
        lambda p: {"pk": appeal_world(p, "appeal")},
        {
            **hidden({"hr", "hrsup", "deputy"}),
            **dict.fromkeys(APPEAL_VIEWERS - {"hr", "hrsup", "deputy"}, 403),
        },
    ),
    "appeals:recommend": (
        lambda p: {"pk": appeal_world(p, "appeal")},
        {**hidden({"member"}), **dict.fromkeys(APPEAL_VIEWERS - {"member"}, 403)},
    ),
    # The leader decides, but not yet (the recheck is under way: 409); the deputy only for a barred leader.
    "appeals:decide": (
        lambda p: {"pk": appeal_world(p, "appeal")},
        {**hidden(set()), **dict.fromkeys(APPEAL_VIEWERS, 403), "leader": 409},
    ),
    "appeals:statement_answer": (
        lambda p: {"pk": appeal_world(p, "statement")},
        {**hidden({"head"}), **dict.fromkeys(APPEAL_VIEWERS - {"head"}, 403)},
    ),
    # Notifications (issue 12): everyone has a centre; a notification opens (302 to its page) for
    # its recipient only, everyone else is told it does not exist.
    "notifications:list": (NO_ARGS, everyone()),
    "notifications:open": (lambda p: employee_notification(p), hidden({"employee"}, 302)),
    "notifications:read_all": (NO_ARGS, everyone(405)),
    # The case inbox shows each person what waits on them; HR sets the step deadlines.
    "case_inbox": (NO_ARGS, everyone()),
    # The people decisions' hub (成长与发展): every person; its doors follow each page's rule.
    "people_hub": (NO_ARGS, everyone()),
    "case_deadlines": (NO_ARGS, only({"hr", "hrsup"})),
    # Complaints and allegations (issue 12): the persona allegation is the employee's against their
    # colleague, handled by the deputy; nobody else learns it exists (the colleague and the head
    # included). The anonymous filing and follow-up pages need no login; their POSTs carry the code.
    "concerns:list": (NO_ARGS, only({"leader", "deputy"})),
    "concerns:mine": (NO_ARGS, everyone()),
    "concerns:file": (NO_ARGS, everyone()),
    "concerns:anonymous_file": (NO_ARGS, public(200, 200)),
    "concerns:follow_up": (NO_ARGS, public(200, 200)),
    "concerns:follow_up_info": (NO_ARGS, public(405, 405)),
    "concerns:follow_up_download": (NO_ARGS, public(405, 405)),
    "concerns:detail": (lambda p: concern_case(p), hidden({"employee", "deputy"})),
    "concerns:step": (lambda p: {"pk": 1}, everyone(405)),
    "concerns:note": (lambda p: {"pk": 1}, everyone(405)),
    "concerns:info": (lambda p: {"pk": 1}, everyone(405)),
    "concerns:link": (lambda p: {"pk": 1}, everyone(405)),
    "concerns:download": (lambda p: concern_evidence(p), hidden({"employee", "deputy"})),
    # Suggestions: anyone makes one and reads the published answers; HR lists and answers them.
    "suggestions:list": (NO_ARGS, only({"hr", "hrsup"})),
    "suggestions:file": (NO_ARGS, everyone()),
    "suggestions:answers": (NO_ARGS, everyone()),
    "suggestions:detail": (lambda p: suggestion_case(p), hidden({"employee", "hr", "hrsup"})),
    "suggestions:step": (lambda p: {"pk": 1}, everyone(405)),
    # Rules that propose (issue 13): HR and the committee read rule sets, their preview and the
    # proposals; HR drafts (the edit pages of a draft set are HR's). A proposal approved for a talk is
    # seen by the person concerned and the head named for it; nobody else learns it exists.
    "people_rules:rule_sets": (NO_ARGS, only(APPRAISAL_READERS)),
    "people_rules:rule_set_create": (NO_ARGS, only({"hr", "hrsup"})),
    "people_rules:rule_set": (lambda p: rules_world(p, "active"), only(APPRAISAL_READERS)),
    "people_rules:rule_set_edit": (lambda p: rules_world(p, "draft"), only({"hr", "hrsup"})),
    "people_rules:rule_set_step": (lambda p: {"pk": 1}, everyone(405)),
    "people_rules:rule_set_copy": (lambda p: {"pk": 1}, everyone(405)),
    "people_rules:preview": (lambda p: rules_world(p, "active"), only(APPRAISAL_READERS)),
    "people_rules:rule_create": (lambda p: rules_world(p, "draft"), only({"hr", "hrsup"})),
    "people_rules:rule_edit": (lambda p: rules_world(p, "draft_rule"), only({"hr", "hrsup"})),
    "people_rules:rule_delete": (lambda p: {"pk": 1}, everyone(405)),
    "people_rules:proposals": (NO_ARGS, only(APPRAISAL_READERS)),
    "people_rules:run": (NO_ARGS, everyone(405)),
    "people_rules:proposal": (
        lambda p: rules_world(p, "talk"),
        hidden(APPRAISAL_READERS | {"colleague", "head"}),
    ),
    "people_rules:proposal_step": (lambda p: {"pk": 1}, everyone(405)),
    "people_rules:mine": (NO_ARGS, everyone()),
    # Improvement plans (issue 13): the persona employee's plan, drafted by their head. Seen by the
    # employee, their head, HR and the committee; nobody else learns it exists. The head and HR
    # write it (the check-in form); anyone who heads someone, or HR, may start one.
    "improvement:list": (NO_ARGS, everyone()),
    "improvement:new": (NO_ARGS, only({"head", "other_head", "hr", "hrsup"})),
    "improvement:detail": (lambda p: improvement_plan(p), hidden(IMPROVEMENT_VIEWERS)),
    "improvement:checkin": (
        lambda p: improvement_plan(p),
        {**hidden(IMPROVEMENT_VIEWERS), **dict.fromkeys(IMPROVEMENT_VIEWERS - IMPROVEMENT_WRITERS, 403)},
    ),
    "improvement:goal_add": (lambda p: {"pk": 1}, everyone(405)),
    "improvement:support_add": (lambda p: {"pk": 1}, everyone(405)),
    "improvement:review_add": (lambda p: {"pk": 1}, everyone(405)),
    "improvement:item_remove": (lambda p: {"pk": 1}, everyone(405)),
    "improvement:step": (lambda p: {"pk": 1}, everyone(405)),
    "improvement:comment": (lambda p: {"pk": 1}, everyone(405)),
    # Training (issue 13): the persona session invites the sales department but their head (whose
    # invitation was withdrawn): the head reads it for their people but gets no material; HR and the
    # committee read everything; HR alone manages; others learn nothing. Everyone has a list and
    # the page of the rules they are appraised and paid by.
    "training:list": (NO_ARGS, everyone()),
    "training:my_rules": (NO_ARGS, everyone()),
    "training:create": (NO_ARGS, only({"hr", "hrsup"})),
    "training:untrained": (NO_ARGS, only(APPRAISAL_READERS)),
    "training:detail": (lambda p: training_world(p, "session"), hidden(TRAINING_VIEWERS)),
    "training:edit": (lambda p: training_world(p, "session"), only({"hr", "hrsup"})),
    "training:attendance_template": (
        lambda p: training_world(p, "session"),
        {**hidden(TRAINING_VIEWERS), **dict.fromkeys(TRAINING_VIEWERS - {"hr", "hrsup"}, 403)},
    ),
    "training:material": (lambda p: training_world(p, "material"), hidden(TRAINING_VIEWERS - {"head"})),
    "training:step": (lambda p: {"pk": 1}, everyone(405)),
    "training:invite": (lambda p: {"pk": 1}, everyone(405)),
    "training:material_upload": (lambda p: {"pk": 1}, everyone(405)),
    "training:attendance": (lambda p: {"pk": 1}, everyone(405)),
    "training:attendance_import": (lambda p: {"pk": 1}, everyone(405)),
    "training:acknowledge": (lambda p: {"pk": 1}, everyone(405)),
    # Work plans (issue 13): HR writes them, the committee reads them (the leader approves), an owner
    # sees their items on "my work items"; a draft's forms are HR's (the committee is refused).
    "workplans:list": (NO_ARGS, only(APPRAISAL_READERS)),
    "workplans:create": (NO_ARGS, only({"hr", "hrsup"})),
    "workplans:mine": (NO_ARGS, everyone()),
    "workplans:detail": (lambda p: workplan_world(p, "approved"), hidden(APPRAISAL_READERS)),
    "workplans:edit": (lambda p: workplan_world(p, "draft"), WORKPLAN_EDITORS),
    "workplans:step": (lambda p: {"pk": 1}, everyone(405)),
    "workplans:item_create": (lambda p: workplan_world(p, "draft"), WORKPLAN_EDITORS),
    "workplans:item_edit": (lambda p: workplan_world(p, "draft_item"), WORKPLAN_EDITORS),
    "workplans:item_delete": (lambda p: {"pk": 1}, everyone(405)),
    "workplans:item_step": (lambda p: {"pk": 1}, everyone(405)),
    # The handbook (issue 13): everyone reads a published policy and the diff of its published
    # versions; drafts are read by HR and the approvers (HR supervisor, committee leader) and
    # edited by HR; HR and the committee see who has not acknowledged.
    "handbook:list": (NO_ARGS, everyone()),
    "handbook:create": (NO_ARGS, only({"hr", "hrsup"})),
    "handbook:page": (lambda p: handbook_world(p, "page"), everyone()),
    "handbook:diff": (lambda p: handbook_world(p, "page"), everyone()),
    "handbook:version_start": (lambda p: {"pk": 1}, everyone(405)),
    "handbook:version": (lambda p: handbook_world(p, "v3"), hidden({"hr", "hrsup", "leader"})),
    "handbook:version_edit": (lambda p: handbook_world(p, "v3"), {**hidden({"hr", "hrsup"}), "leader": 403}),
    "handbook:version_step": (lambda p: {"pk": 1}, everyone(405)),
    "handbook:acknowledge": (lambda p: {"pk": 1}, everyone(405)),
    "handbook:acknowledgements": (lambda p: handbook_world(p, "v2"), only(APPRAISAL_READERS)),
    # Cadre review (issue 13): HR, the committee and heads read eligibility and nominations (a head
    # those they made); the persona head nominated the employee for the sales lead post: the
    # nominee learns nothing until it is decided; the leader decides; potential and the nine-box
    # grid are the committee's and HR's; a person's trace is also their head's.
    "cadres:nominations": (NO_ARGS, only(CADRE_READERS)),
    "cadres:mine": (NO_ARGS, everyone()),
    "cadres:eligibility": (NO_ARGS, only(CADRE_READERS)),
    "cadres:rules": (NO_ARGS, only(CADRE_READERS)),
    "cadres:rule_edit": (lambda p: {"level": 3}, only({"hr", "hrsup"})),
    "cadres:nominate": (
        lambda p: cadre_world(p, "nominate"),
        {**hidden({"head"}), **dict.fromkeys(APPRAISAL_READERS, 403)},
    ),
    "cadres:nomination": (lambda p: cadre_world(p, "nomination"), hidden(APPRAISAL_READERS | {"head"})),
    "cadres:decide": (
        lambda p: cadre_world(p, "evaluated"),
        {**hidden({"leader"}), **dict.fromkeys((APPRAISAL_READERS | {"head"}) - {"leader"}, 403)},
    ),
    "cadres:step": (lambda p: {"pk": 1}, everyone(405)),
    "cadres:score": (lambda p: {"pk": 1}, everyone(405)),
    "cadres:conflict": (lambda p: {"pk": 1}, everyone(405)),
    "cadres:person": (lambda p: {"pk": p.employees["employee"].pk}, hidden(APPRAISAL_READERS | {"head"})),
    "cadres:potential": (lambda p: {"pk": 1}, everyone(405)),
    "cadres:talent": (NO_ARGS, only(APPRAISAL_READERS)),
}


def cadre_world(p: Any, key: str) -> dict[str, Any]:
    """The head's nomination of the employee for the sales lead post (evaluated: scored and ended)."""
    from jixiao.people.cadres.tests.world import evaluated, lead, nominated

    if key == "nominate":
        return {"employee": p.employees["employee"].pk, "position": lead().pk}
    return {"pk": (evaluated(p) if key == "evaluated" else nominated(p)).pk}


def handbook_world(p: Any, key: str) -> dict[str, Any]:
    """A policy page with version 1 superseded, version 2 current and version 3 a draft."""
    from jixiao.people.handbook.tests.world import two_versions_and_a_draft

    return {"pk": two_versions_and_a_draft(p)[key].pk}


def workplan_world(p: Any, key: str) -> dict[str, Any]:
    """A draft plan (and its item) and an approved plan, each with an item the employee owns."""
    from jixiao.people.workplans.tests.world import approved_plan, draft_plan, first_item

    if key == "approved":
        return {"pk": approved_plan(p, "2026").pk}
    plan = draft_plan(p, "2027")
    return {"pk": first_item(plan).pk if key == "draft_item" else plan.pk}


def training_world(p: Any, key: str) -> dict[str, Any]:
    from jixiao.people.training.tests.world import material_id, session

    return {"pk": session(p).pk if key == "session" else material_id(p)}


def improvement_plan(p: Any) -> dict[str, Any]:
    from jixiao.people.improvement.tests.world import drafted

    return {"pk": drafted(p).pk}


def employee_notification(p: Any) -> dict[str, Any]:
    """A notification for the persona employee."""
    from jixiao.engine.text import Text
    from jixiao.notifications.models import Notification
    from jixiao.notifications.services import notify

    notify(recipients=[p["employee"]], kind="plan.returned", text=Text("测试", "Test"), link="/")
    return {"pk": Notification.objects.filter(recipient=p["employee"]).latest("pk").pk}


def concern_case(p: Any) -> dict[str, Any]:
    from jixiao.cases.concerns.tests.world import allegation

    return {"pk": allegation(p).pk}


def concern_evidence(p: Any) -> dict[str, Any]:
    from jixiao.cases.concerns.tests.world import allegation

    case = allegation(p, evidence=True)
    return {"pk": case.pk, "file_pk": case.files.get().pk}


def suggestion_case(p: Any) -> dict[str, Any]:
    from jixiao.cases.suggestions.tests.world import suggestion

    return {"pk": suggestion(p).pk}


def rules_world(p: Any, key: str) -> dict[str, Any]:
    """The persona rule sets (active, draft) and the colleague's approved talk with their head."""
    from jixiao.people.rules.tests.world import approved_talk, draft_set, in_force

    if key == "talk":
        return {"pk": approved_talk(p).pk}
    if key == "draft_rule":
        return {"pk": draft_set(p).rules.get().pk}
    return {"pk": (in_force(p) if key == "active" else draft_set(p)).pk}


def _merge_rows() -> None:
    """Rows kept in tests/access_rows (one module per wing) join the table; none may repeat one here."""
    from tests.access_rows import collect

    extra = collect()
    twice = MATRIX.keys() & extra.keys()
    assert not twice, f"tests/access_rows names {sorted(twice)} again"
    MATRIX.update(extra)


_merge_rows()


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every named URL pattern in the project, with its namespace."""
    resolver = resolver or get_resolver()
    names: list[str] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names.extend(url_names(pattern, namespace))
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name; name it and add it to MATRIX"
            names.append(prefix + pattern.name)
    return names


def test_every_url_has_a_row_in_the_matrix() -> None:
    missing = sorted(set(url_names()) - set(MATRIX))
    assert not missing, f"URLs without an access decision: {missing}"
    stale = sorted(set(MATRIX) - set(url_names()))
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_each_persona_as_the_matrix_says(name: str, personas: Any, client_for: Any) -> None:
    kwargs, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs(personas))
    outcomes = {persona: client_for(persona).get(url).status_code for persona in PERSONA_NAMES}
    assert outcomes == expected


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client_for: Any) -> None:
    response = client_for("anonymous").get(reverse("org:employees"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
