"""Cadre review services: each step, refusals that write nothing, separation of duties (conflicts,
the reporting line, the nominator, the nominee), the quota reason, the position change and the
effective date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jixiao.access.models import Role, RoleGrant
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError, PermissionRefused
from jixiao.notifications.models import Notification
from jixiao.org.models import Employee, PositionChange
from jixiao.org.selectors import positions_on
from jixiao.people.cadres import services
from jixiao.people.cadres.models import (
    EligibilityRule,
    Evaluation,
    Nomination,
    NominationConflict,
    PotentialRating,
)
from jixiao.people.cadres.quota import quota_after

from .world import POINTS, evaluated, history, lead, nominated, rule, scored

pytestmark = pytest.mark.django_db
EFFECTIVE = dt.date(2027, 1, 1)
REFUSED = (JixiaoError, PermissionRefused)


class Unchanged:
    """Counts of every table a refusal must leave alone."""

    def __init__(self) -> None:
        self.before = self.now()

    @staticmethod
    def now() -> tuple[int, ...]:
        return (
            AuditEvent.objects.count(),
            Nomination.objects.count(),
            Evaluation.objects.count(),
            NominationConflict.objects.count(),
            PositionChange.objects.count(),
            PotentialRating.objects.count(),
            EligibilityRule.objects.count(),
        )

    def check(self) -> None:
        assert self.now() == self.before


def _grant(p: Any, name: str, role: str) -> None:
    RoleGrant.objects.create(user=p[name], role=role)
    p[name].__dict__.pop("_jixiao_actor", None)


# -- rules ---------------------------------------------------------------------------------------


def test_rule_created_then_changed_audited(personas: Any) -> None:
    p = personas
    created = rule(p)
    assert (created.cycle_kind, created.cycle_count, created.min_grade) == ("quarter", 4, "B")
    changed = rule(p, min_grade="a", cycle_count="2")
    assert (changed.pk, changed.min_grade, changed.cycle_count) == (created.pk, "A", 2)
    actions = list(
        AuditEvent.objects.filter(action__startswith="eligibility_rule.").values_list("action", flat=True)
    )
    assert actions == ["eligibility_rule.create", "eligibility_rule.update"]


@pytest.mark.parametrize(
    "bad",
    [
        {"cycle_count": "1e30"},
        {"cycle_count": "nan"},
        {"cycle_count": "-1"},
        {"cycle_count": "0"},
        {"min_months_in_post": "99999"},
        {"min_grade": ""},
        {"min_grade": "<b>"},
        {"cycle_kind": "week"},
        {"note": "x" * 20_000},
    ],
)
def test_rule_hostile_values_write_nothing(personas: Any, bad: dict[str, Any]) -> None:
    unchanged = Unchanged()
    with pytest.raises(JixiaoError):
        rule(personas, **bad)
    unchanged.check()


@pytest.mark.parametrize("who", ["employee", "head", "member", "leader", "finance", "admin"])
def test_only_hr_sets_rules(personas: Any, who: str) -> None:
    unchanged = Unchanged()
    with pytest.raises(PermissionRefused):
        services.eligibility_rule_save(
            user=personas[who], level=3, data={"cycle_kind": "quarter", "cycle_count": "4", "min_grade": "B"}
        )
    unchanged.check()


# -- nominating ----------------------------------------------------------------------------------


def test_head_nominates_an_eligible_person_committee_and_hr_told(personas: Any) -> None:
    p = personas
    nomination = nominated(p)
    assert nomination.state == "evaluating" and nomination.eligible and not nomination.override_reason
    assert set(nomination.barred) >= {p.employees["employee"].pk, p.employees["head"].pk}
    assert AuditEvent.objects.filter(action="nomination.nominate", object_id=str(nomination.pk)).count() == 1
    told = set(Notification.objects.filter(kind="nomination.filed").values_list("recipient_id", flat=True))
    assert {p[n].pk for n in ("leader", "deputy", "member", "hr", "hrsup")} <= told
    assert p["employee"].pk not in told and p["head"].pk not in told


def test_an_ineligible_person_needs_a_reason(personas: Any) -> None:
    p = personas
    history(p, grades={"2026-Q1": "B", "2026-Q2": "C"})
    rule(p)
    unchanged = Unchanged()
    with pytest.raises(JixiaoError) as refused:
        services.nomination_create(
            user=p["head"], employee=p.employees["employee"], target=lead(), reason="理由"
        )
    assert refused.value.code == "ineligible"
    unchanged.check()
    nomination = services.nomination_create(
        user=p["head"],
        employee=p.employees["employee"],
        target=lead(),
        reason="理由",
        override_reason="特殊贡献",
    )
    assert not nomination.eligible and nomination.override_reason == "特殊贡献"


def test_no_rule_for_the_level_is_ineligible(personas: Any) -> None:
    p = personas
    history(p)
    with pytest.raises(JixiaoError):
        services.nomination_create(
            user=p["head"], employee=p.employees["employee"], target=lead(), reason="理由"
        )


@pytest.mark.parametrize(
    ("who", "whom"),
    [("colleague", "employee"), ("other_head", "employee"), ("hr", "employee"), ("leader", "employee"),
     ("head", "head"), ("employee", "employee")],
)  # fmt: skip
def test_only_the_head_of_their_department_nominates(personas: Any, who: str, whom: str) -> None:
    p = personas
    history(p)
    rule(p)
    unchanged = Unchanged()
    with pytest.raises(REFUSED):
        services.nomination_create(user=p[who], employee=p.employees[whom], target=lead(), reason="理由")
    unchanged.check()


def test_a_second_open_nomination_and_the_post_already_held_are_refused(personas: Any) -> None:
    p = personas
    nominated(p)
    unchanged = Unchanged()
    with pytest.raises(JixiaoError):
        services.nomination_create(
            user=p["head"], employee=p.employees["employee"], target=lead(), reason="再提"
        )
    with pytest.raises(JixiaoError):
        services.nomination_create(
            user=p["head"],
            employee=p.employees["colleague"],
            target=p.position,
            reason="已任",
            override_reason="x",
        )
    unchanged.check()


def test_hostile_nomination_text_refused(personas: Any) -> None:
    p = personas
    history(p)
    rule(p)
    unchanged = Unchanged()
    for reason in ("", "   ", "x" * 20_000):
        with pytest.raises(JixiaoError):
            services.nomination_create(
                user=p["head"], employee=p.employees["employee"], target=lead(), reason=reason
            )
    unchanged.check()


# -- the committee -------------------------------------------------------------------------------


def test_members_score_and_may_replace_their_own(personas: Any) -> None:
    p = personas
    nomination = scored(p, "member")
    evaluation = Evaluation.objects.get(nomination=nomination, evaluator=p["member"])
    assert evaluation.total == 90 and evaluation.points["probity"] == 20
    services.nomination_score(
        user=p["member"], nomination=nomination, points={**POINTS, "probity": "10"}, comment="改评"
    )
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.comment) == (80, "改评")
    assert AuditEvent.objects.filter(action="nomination.score").count() == 2


@pytest.mark.parametrize(
    "points",
    [{**POINTS, "ability": "21"}, {**POINTS, "ability": "-1"}, {**POINTS, "ability": "1e30"},
     {**POINTS, "ability": "nan"}, {k: v for k, v in POINTS.items() if k != "ability"}],
)  # fmt: skip
def test_points_out_of_range_write_nothing(personas: Any, points: dict[str, str]) -> None:
    nomination = nominated(personas)
    unchanged = Unchanged()
    with pytest.raises(JixiaoError):
        services.nomination_score(
            user=personas["member"], nomination=nomination, points=points, comment="评语"
        )
    unchanged.check()


@pytest.mark.parametrize("who", ["employee", "head", "hr", "colleague", "finance"])
def test_the_nominee_their_line_and_non_members_cannot_score(personas: Any, who: str) -> None:
    p = personas
    nomination = nominated(p)
    if who in ("employee", "head"):
        _grant(p, who, Role.COMMITTEE_MEMBER)  # even on the committee
    unchanged = Unchanged()
    with pytest.raises(REFUSED):
        services.nomination_score(user=p[who], nomination=nomination, points=POINTS, comment="评语")
    unchanged.check()


def test_a_declared_conflict_bars_scoring_and_voids_an_earlier_score(personas: Any) -> None:
    p = personas
    nomination = scored(p, "member")
    services.nomination_conflict_declare(user=p["member"], nomination=nomination, reason="被提名人是我的亲属")
    assert not Evaluation.objects.filter(nomination=nomination).exists()
    assert AuditEvent.objects.filter(action="evaluation.void").count() == 1
    nomination.refresh_from_db()
    assert nomination.conflicted == [p["member"].pk]
    unchanged = Unchanged()
    with pytest.raises(REFUSED):
        services.nomination_score(user=p["member"], nomination=nomination, points=POINTS, comment="评语")
    with pytest.raises(JixiaoError):
        services.nomination_conflict_declare(user=p["member"], nomination=nomination, reason="再声明")
    unchanged.check()


def test_only_the_committee_declares(personas: Any) -> None:
    nomination = nominated(personas)
    unchanged = Unchanged()
    for who in ("hr", "head", "employee"):
        with pytest.raises(REFUSED):
            services.nomination_conflict_declare(user=personas[who], nomination=nomination, reason="理由")
    unchanged.check()


def test_closing_needs_an_evaluation_then_goes_to_the_leader(personas: Any) -> None:
    p = personas
    nomination = nominated(p)
    unchanged = Unchanged()
    with pytest.raises(JixiaoError) as refused:
        services.nomination_close(user=p["hr"], nomination=nomination)
    assert refused.value.status == 409
    with pytest.raises(PermissionRefused):
        services.nomination_close(user=p["head"], nomination=nomination)  # the nominator
    unchanged.check()
    done = evaluated(p)
    assert done.state == "evaluated"
    assert Notification.objects.filter(kind="nomination.evaluated", recipient=p["leader"]).exists()
    reopened = services.nomination_reopen(user=p["leader"], nomination=done, reason="请补充评议")
    assert reopened.state == "evaluating"


# -- the decision --------------------------------------------------------------------------------


def test_approval_over_quota_needs_a_reason_and_writes_nothing_without(personas: Any) -> None:
    p = personas
    nomination = evaluated(p)
    assert quota_after(nomination, EFFECTIVE) == (1, 2)  # the head holds the lead post
    unchanged = Unchanged()
    with pytest.raises(JixiaoError) as refused:
        services.nomination_approve(user=p["leader"], nomination=nomination, effective=EFFECTIVE)
    assert refused.value.code == "over_quota"
    unchanged.check()
    nomination.refresh_from_db()
    assert nomination.state == "evaluated"

    done = services.nomination_approve(
        user=p["leader"],
        nomination=nomination,
        effective=EFFECTIVE,
        reason="同意",
        quota_reason="经理将于明年调任",
    )
    assert (done.state, done.effective, done.over_quota, done.quota_reason) == (
        "approved",
        EFFECTIVE,
        True,
        "经理将于明年调任",
    )
    change = PositionChange.objects.get()
    assert (change.employee_id, change.to_position_id, change.effective, change.source) == (
        p.employees["employee"].pk,
        lead().pk,
        EFFECTIVE,
        f"nomination:{done.pk}",
    )
    employee = p.employees["employee"]
    assert positions_on([employee.pk], EFFECTIVE - dt.timedelta(days=1)) == {employee.pk: p.position.pk}
    assert positions_on([employee.pk], EFFECTIVE) == {employee.pk: lead().pk}
    assert AuditEvent.objects.filter(action="nomination.approve").count() == 1
    told = set(Notification.objects.filter(kind="nomination.decided").values_list("recipient_id", flat=True))
    assert told == {p["employee"].pk, p["head"].pk}


def test_approval_within_quota_needs_no_reason(personas: Any) -> None:
    p = personas
    nomination = evaluated(p)
    lead_post = lead()
    lead_post.headcount_quota = 2
    lead_post.save()
    done = services.nomination_approve(user=p["leader"], nomination=nomination, effective=EFFECTIVE)
    assert done.state == "approved" and not done.over_quota


@pytest.mark.parametrize("who", ["deputy", "member", "hr", "head", "employee"])
def test_only_the_leader_decides(personas: Any, who: str) -> None:
    p = personas
    nomination = evaluated(p)
    unchanged = Unchanged()
    with pytest.raises(REFUSED):
        services.nomination_approve(user=p[who], nomination=nomination, effective=EFFECTIVE, quota_reason="x")
    with pytest.raises(REFUSED):
        services.nomination_reject(user=p[who], nomination=nomination, reason="不同意")
    unchanged.check()


def test_a_conflicted_leader_stands_aside_and_the_deputy_decides(personas: Any) -> None:
    p = personas
    nomination = evaluated(p)
    services.nomination_conflict_declare(user=p["leader"], nomination=nomination, reason="亲属")
    nomination.refresh_from_db()
    assert nomination.leader_barred
    unchanged = Unchanged()
    with pytest.raises(REFUSED):
        services.nomination_approve(
            user=p["leader"], nomination=nomination, effective=EFFECTIVE, quota_reason="x"
        )
    unchanged.check()
    done = services.nomination_reject(user=p["deputy"], nomination=nomination, reason="时机未到")
    assert done.state == "rejected" and done.decision_reason == "时机未到"


def test_a_leader_who_heads_the_department_cannot_decide_their_own_nomination(personas: Any) -> None:
    p = personas
    _grant(p, "head", Role.COMMITTEE_LEADER)
    nomination = evaluated(p)
    with pytest.raises(REFUSED):
        services.nomination_approve(
            user=p["head"], nomination=nomination, effective=EFFECTIVE, quota_reason="x"
        )
    nomination.refresh_from_db()
    assert nomination.state == "evaluated"
    # the other leader still may
    assert (
        services.nomination_reject(user=p["leader"], nomination=nomination, reason="否").state == "rejected"
    )


def test_reject_needs_a_reason_and_withdraw_is_the_nominators(personas: Any) -> None:
    p = personas
    nomination = scored(p, "member")
    unchanged = Unchanged()
    with pytest.raises(JixiaoError):
        services.nomination_reject(user=p["leader"], nomination=nomination, reason=" ")
    with pytest.raises(REFUSED):
        services.nomination_withdraw(user=p["hr"], nomination=nomination, reason="撤回")
    unchanged.check()
    done = services.nomination_withdraw(user=p["head"], nomination=nomination, reason="本人调岗")
    assert done.state == "withdrawn"
    with pytest.raises(JixiaoError):  # settled: nothing more
        services.nomination_score(user=p["deputy"], nomination=done, points=POINTS, comment="晚了")


def test_an_effective_date_inside_a_released_pay_month_is_refused(personas: Any) -> None:
    from jixiao.pay.monthly.tests.world import released_run

    p = personas
    released_run(p)  # 2027-01 released
    nomination = evaluated(p)
    unchanged = Unchanged()
    for day in (dt.date(2027, 1, 15), dt.date(2026, 12, 1), "1e30", "2027-02-30", "nan"):
        with pytest.raises(JixiaoError):
            services.nomination_approve(
                user=p["leader"], nomination=nomination, effective=day, quota_reason="x"
            )
    unchanged.check()
    done = services.nomination_approve(
        user=p["leader"], nomination=nomination, effective=dt.date(2027, 2, 1), quota_reason="x"
    )
    assert done.effective == dt.date(2027, 2, 1)


# -- potential -----------------------------------------------------------------------------------


def test_the_committee_rates_potential_once_a_year(personas: Any) -> None:
    p = personas
    head = p.employees["head"]
    first = services.potential_rate(
        user=p["member"], employee=head, year="2026", level="high", reason="带团队能力强"
    )
    again = services.potential_rate(user=p["leader"], employee=head, year=2026, level="medium", reason="复评")
    assert first.pk == again.pk and again.level == "medium"
    assert AuditEvent.objects.filter(action="potential.rate").count() == 2


@pytest.mark.parametrize(
    ("who", "kw"),
    [("hr", {}), ("head", {}), ("employee", {}), ("member", {"level": "huge"}), ("member", {"year": "1e30"}),
     ("member", {"year": "-1"}), ("member", {"reason": ""}), ("member", {"reason": "x" * 20_000})],
)  # fmt: skip
def test_potential_refusals_write_nothing(personas: Any, who: str, kw: dict[str, Any]) -> None:
    p = personas
    args: dict[str, Any] = {"employee": p.employees["head"], "year": 2026, "level": "high", "reason": "理由"}
    args.update(kw)
    unchanged = Unchanged()
    with pytest.raises(REFUSED):
        services.potential_rate(user=p[who], **args)
    unchanged.check()


def test_nobody_rates_their_own_potential(personas: Any) -> None:
    p = personas
    with pytest.raises(PermissionRefused):
        services.potential_rate(
            user=p["member"],
            employee=Employee.objects.get(user=p["member"]),
            year=2026,
            level="high",
            reason="我",
        )


def test_an_open_improvement_plan_makes_ineligible_and_a_veto_too(personas: Any) -> None:
    from jixiao.people.improvement.services import improvement_plan_start

    from .world import quarter_result

    p = personas
    history(p)
    rule(p)
    assert services.nomination_create(
        user=p["head"], employee=p.employees["employee"], target=lead(), reason="一"
    ).eligible
    improvement_plan_start(
        user=p["head"], employee_id=p.employees["employee"].pk, result_ids=[], reason="需要改进"
    )
    history(p, "colleague", grades={"2025-Q4": "A", "2026-Q1": "A", "2026-Q2": "A"})
    quarter_result(p, "colleague", "2026-Q3", "A", veto=True)
    with pytest.raises(JixiaoError) as refused:
        services.nomination_create(
            user=p["head"], employee=p.employees["colleague"], target=lead(), reason="二"
        )
    assert "一票否决" in refused.value.message.zh
    with pytest.raises(JixiaoError) as refused:  # the open plan (a second target post: a new nomination)
        services.nomination_create(
            user=p["head"],
            employee=p.employees["employee"],
            target=p.employees["other_head"].department.positions.create(
                code="P-PLANT-LEAD", title="生产经理", level=3
            ),
            reason="三",
        )
    assert "绩效改进计划" in refused.value.message.zh
