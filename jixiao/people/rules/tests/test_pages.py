"""The pages of rules that propose over HTTP: drafting with hostile input, the lint and the
preview, running from HR's button, deciding with reasons, my page, flat query counts, no codes."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.people.rules import services
from jixiao.people.rules.models import ActionKind, Proposal, ProposalState, Rule, RuleSet, RuleSetState
from jixiao.people.rules.services import RuleInput

from .world import cycle, draft_set, graded, in_force, proposed

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    body = re.sub(r"(?is)<(code|select|script|style)\b.*?</\1>", " ", response.content.decode())
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", body))


def written() -> tuple[int, int, int]:
    return AuditEvent.objects.count(), Rule.objects.count(), RuleSet.objects.count()


def test_hr_drafts_a_rule_set_and_reads_each_rule_in_chinese(personas: Any, client_for: Any) -> None:
    hr = client_for("hr")
    response = hr.post(reverse("people_rules:rule_set_create"), {"name": "2027 年奖惩规则", "note": "试行"})
    rule_set = RuleSet.objects.get(name="2027 年奖惩规则")
    assert response.status_code == 302 and response["Location"] == rule_set.link
    added = hr.post(
        reverse("people_rules:rule_create", args=[rule_set.pk]),
        {"name": "两期优秀", "cycle_kind": "month", "condition": "grade in {A} for 2 in a row", "action": "reward",
         "amount": "500"},
    )  # fmt: skip
    assert added.status_code == 302
    page = text(hr.get(rule_set.link))
    assert "连续 2 期为 A → 表彰并奖励 500.00 元" in page
    assert "没有发现问题" in page and "提交批准" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "1e30", "不是金额"),
        ("amount", "nan", "不是金额"),
        ("amount", "-1", "超出范围"),
        ("amount", "99999999999999", "超出范围"),
        ("amount", "0.001", "两位小数"),
        ("condition", "x" * 20_000, "200"),
        ("condition", "grade in {A} for 99999999999999999999 in a row", "1 到 99"),
        ("condition", "total < nan", "总分应为数字"),
        ("condition", "__import__('os')", "grade、total 或 veto"),
        ("action", "bonus", "bonus"),
        ("name", "名" * 20_000, "100"),
    ],
)
def test_hostile_rule_input_is_refused_on_the_form_and_writes_nothing(
    personas: Any, client_for: Any, field: str, value: str, message: str
) -> None:
    draft = draft_set(personas)
    data = {"name": "", "cycle_kind": "month", "condition": "grade = A", "action": "reward", "amount": "100"}
    data[field] = value
    hr = client_for("hr")
    before = written()
    response = hr.post(reverse("people_rules:rule_create", args=[draft.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    if field in ("amount", "condition"):
        assert html.escape(value[:50]) in response.content.decode()  # the input is kept
    assert written() == before


def test_the_lint_shows_on_the_page_and_submitting_is_refused_while_errors_remain(
    personas: Any, client_for: Any
) -> None:
    draft = draft_set(personas)  # veto → penalty 100.00
    services.rule_save(
        user=personas["hr"], rule_set=draft, data=RuleInput("veto for 2 in a row", "reward", 100)
    )
    services.rule_save(user=personas["hr"], rule_set=draft, data=RuleInput("grade = E", "talk"))
    hr = client_for("hr")
    page = text(hr.get(draft.link))
    assert "矛盾：同样的结果既会被奖励又会被处罚" in page
    assert "等级 E 不在考核总框架的等级（A、B、C、D）中" in page
    before = written()
    response = hr.post(reverse("people_rules:rule_set_step", args=[draft.pk]), {"op": "submit"})
    assert response.status_code == 409 and "须修正的问题" in text(response)
    assert written() == before


def test_the_preview_says_how_often_each_rule_would_have_fired_and_for_whom(
    personas: Any, client_for: Any
) -> None:
    graded(personas)
    rule_set = in_force(personas)
    page = text(client_for("hr").get(reverse("people_rules:preview", args=[rule_set.pk])))
    # 2026-08 and 2026-09 (Aug, Sep) are the window; "two A's in a row" fired once (employee, 2026-09)
    assert "在最近 12 个月的 2 个周期（2026-08 – 2026-09）中，这条规则会触发 1 次，涉及 1 人" in page
    # "total >= 90": the employee in both months
    assert "会触发 2 次，涉及 1 人" in page
    assert personas.employees["employee"].name in page
    assert not Proposal.objects.exists()  # a preview proposes nothing


def test_the_preview_reads_one_query_per_cycle_kind_not_per_person(personas: Any, client_for: Any) -> None:
    graded(personas)
    rule_set = in_force(personas)
    url = reverse("people_rules:preview", args=[rule_set.pk])
    client = client_for("hr")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    from jixiao.org.models import Employee

    for n in range(5):  # five more people with results in both cycles
        employee = Employee.objects.create(number=f"X{n}", name=f"新人{n}", department=personas.department)
        for label in ("2026-08", "2026-09"):
            _copy_result(label, personas.employees["employee"], employee)
    assert count() == few


def _copy_result(label: str, source: Any, employee: Any) -> None:
    from jixiao.cycles.lifecycle.models import CycleMember
    from jixiao.cycles.results.models import Result

    result = Result.objects.get(cycle__label=label, member__employee=source)
    member = CycleMember.objects.get(pk=result.member_id)
    member.pk, member.employee = None, employee
    member.save()
    result.pk, result.member = None, member
    result.save()


def test_hr_runs_the_rules_from_the_button_and_an_approver_decides(
    personas: Any, client_for: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    graded(personas)
    in_force(personas)
    hr = client_for("hr")
    response = hr.post(reverse("people_rules:run"), {"cycle": str(cycle().pk)})
    assert response.status_code == 302
    assert Proposal.objects.count() == 5
    assert set(Proposal.objects.values_list("proposed_by", flat=True)) == {personas["hr"].pk}
    listing = text(hr.get(reverse("people_rules:proposals"), {"cycle": cycle().pk, "kind": "talk"}))
    assert "5 条待审批" in listing and "上级谈话" in listing and "表彰并奖励" not in listing.split("筛选")[-1]
    assert "新提出 5 条建议" in listing
    reward = Proposal.objects.get(kind=ActionKind.REWARD)
    leader = client_for("leader")
    page = text(leader.get(reward.link))
    assert "2026-09 ：等级 A，总分 92.5" in page.replace("2026-09：", "2026-09 ：")
    assert "批准" in page and "驳回" in page
    before = AuditEvent.objects.count()
    refused = leader.post(
        reverse("people_rules:proposal_step", args=[reward.pk]), {"op": "reject", "reason": ""}
    )
    assert refused.status_code == 400 and "驳回需要说明原因" in text(refused)
    assert AuditEvent.objects.count() == before  # a refusal writes nothing, not even the read again
    done = leader.post(
        reverse("people_rules:proposal_step", args=[reward.pk]), {"op": "approve", "reason": "同意"}
    )
    assert done.status_code == 302
    reward.refresh_from_db()
    assert reward.state == ProposalState.APPROVED and reward.sanction is not None
    sanctions = text(client_for("hrsup").get(reverse("pay:sanctions")))
    assert f"规则建议 {reward.reference}" in sanctions and "system" not in sanctions


def test_a_run_on_a_cycle_not_locked_is_refused_on_the_page(personas: Any, client_for: Any) -> None:
    graded(personas)
    response = client_for("hr").post(reverse("people_rules:run"), {"cycle": "1e30"})
    assert response.status_code == 400
    assert (
        client_for("leader").post(reverse("people_rules:run"), {"cycle": str(cycle().pk)}).status_code == 403
    )


def test_the_employee_sees_an_approved_commendation_not_a_pending_reward(
    personas: Any, client_for: Any
) -> None:
    made = proposed(personas)
    services.proposal_decide(
        user=personas["hrsup"], proposal=made[("employee", "commendation")], action="approve"
    )
    employee = client_for("employee")
    mine = text(employee.get(reverse("people_rules:mine")))
    assert made[("employee", "commendation")].reference in mine
    assert made[("employee", "reward")].reference not in mine
    assert employee.get(made[("employee", "reward")].link).status_code == 404
    page = text(employee.get(made[("employee", "commendation")].link))
    assert "总分 92.5" in page and "审批" not in page.split("依据")[0].split("建议")[0]


def test_the_proposals_list_costs_the_same_queries_for_more_rows(personas: Any, client_for: Any) -> None:
    client = client_for("hr")

    def count() -> int:
        client.get(reverse("people_rules:proposals"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("people_rules:proposals")).status_code == 200
        return len(queries)

    made = proposed(personas)  # five, a reward among them (its amount's read is audited once)
    few = count()
    from jixiao.org.models import Employee

    reward = made[("employee", "reward")]
    for n in range(5):
        employee = Employee.objects.create(number=f"X{n}", name=f"新人{n}", department=personas.department)
        Proposal.objects.create(
            rule=reward.rule,
            employee=employee,
            cycle=reward.cycle,
            kind=reward.kind,
            amount_fen=reward.amount_fen,
        )  # scaffolding: more rows of the same kinds
    assert count() == few


def test_no_raw_codes_on_the_pages_in_either_language(personas: Any, client_for: Any) -> None:
    made = proposed(personas)
    services.proposal_decide(user=personas["hrsup"], proposal=made[("colleague", "talk")], action="approve")
    rule_set = RuleSet.objects.get(state=RuleSetState.ACTIVE)
    codes = {
        *RuleSetState.values,
        *ProposalState.values,
        *ActionKind.values,
        "proposal.create",
        "rule_set.activate",
    }
    codes -= {"done"}  # an English word on English pages
    pages = {
        "hr": [reverse("people_rules:rule_sets"), rule_set.link, reverse("people_rules:preview", args=[rule_set.pk]),
               reverse("people_rules:proposals"), made[("employee", "reward")].link],
        "head": [reverse("people_rules:mine"), made[("colleague", "talk")].link],
    }  # fmt: skip
    for who, urls in pages.items():
        client = client_for(who)
        for language in ("zh-hans", "en"):
            client.cookies["django_language"] = language
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                assert response.status_code == 200, url
                words = set(re.findall(r"[a-z_.]+", text(response)))
                # on English pages a plain code is an English word ("reward"): only compound codes count
                leaks = words & (codes if language != "en" else {c for c in codes if "_" in c or "." in c})
                assert not leaks, (who, language, url, leaks)


def test_a_rule_is_edited_with_its_amount_shown_exactly(personas: Any, client_for: Any) -> None:
    draft = draft_set(personas)
    rule = services.rule_save(
        user=personas["hr"], rule_set=draft, data=RuleInput("grade = A", "reward", 123_456_789)
    )
    hr = client_for("hr")
    form = hr.get(reverse("people_rules:rule_edit", args=[rule.pk])).content.decode()
    assert 'value="1,234,567.89"' in form
    saved = hr.post(
        reverse("people_rules:rule_edit", args=[rule.pk]),
        {"name": "", "cycle_kind": "quarter", "condition": "grade = A", "action": "reward", "amount": "1,234,567.89",
         "version": str(rule.version)},
    )  # fmt: skip
    assert saved.status_code == 302
    rule.refresh_from_db()
    assert (rule.amount_fen, rule.cycle_kind) == (123_456_789, "quarter")
    stale = hr.post(
        reverse("people_rules:rule_edit", args=[rule.pk]),
        {"name": "", "cycle_kind": "month", "condition": "grade = A", "action": "reward", "amount": "1",
         "version": "1"},
    )  # fmt: skip
    assert stale.status_code == 409
    rule.refresh_from_db()
    assert rule.cycle_kind == "quarter"
