"""Work plans (工作计划): HR writes, the HR supervisor or the committee leader (never the author)
approves, owners carry their items out, HR closes; every step audited, refusals write nothing;
who reads what (scope ⇔ can); the pages; hostile input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jixiao.access import rules
from jixiao.access.policy import can, scope
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.common.labels import action_label
from jixiao.demo.personas import PERSONA_NAMES
from jixiao.engine.text import Text
from jixiao.notifications.models import Notification
from jixiao.people.workplans import models, services
from jixiao.people.workplans.models import WorkItem, WorkPlan, period_bounds
from jixiao.people.workplans.selectors import my_items_page, plan_list_page, plan_page

from .world import approved_plan, draft_plan, first_item, item_data

pytestmark = pytest.mark.django_db


def _refused(status: int, call: Any) -> JixiaoError:
    before = (AuditEvent.objects.count(), WorkPlan.objects.count(), WorkItem.objects.count())
    states = (
        list(WorkPlan.objects.values_list("pk", "state", "version", "title")),
        list(WorkItem.objects.values_list("pk", "state", "version", "task")),
    )
    with pytest.raises(JixiaoError) as refused:
        call()
    assert refused.value.status == status, refused.value
    assert (AuditEvent.objects.count(), WorkPlan.objects.count(), WorkItem.objects.count()) == before
    assert (
        list(WorkPlan.objects.values_list("pk", "state", "version", "title")),
        list(WorkItem.objects.values_list("pk", "state", "version", "task")),
    ) == states
    return refused.value


def test_the_whole_plan_from_draft_to_closed(personas: Any) -> None:
    hr, hrsup, employee = personas["hr"], personas["hrsup"], personas["employee"]
    plan = draft_plan(personas, "2026-Q3", items=2)
    assert (plan.state, plan.kind, plan.bounds) == (
        "draft",
        "quarter",
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
    )
    approved = services.workplan_approve(user=hrsup, plan=plan, expected_version=plan.version)
    assert (approved.state, approved.approved_by) == ("approved", hrsup)
    told = Notification.objects.filter(kind="workplan.approved")
    assert list(told.values_list("recipient_id", flat=True)) == [employee.pk]
    one, two = approved.items.order_by("pk")
    one = services.workitem_step(user=employee, item=one, action="set_under_way")
    one = services.workitem_step(user=employee, item=one, action="mark_done")
    assert one.state == "done" and one.done_at is not None
    two = services.workitem_step(user=hr, item=two, action="drop", reason="合并到下季度。")
    assert (two.state, two.drop_reason) == ("dropped", "合并到下季度。")
    closed = services.workplan_close(user=hr, plan=approved)
    assert closed.state == "closed" and closed.closed_at is not None
    actions = list(
        AuditEvent.objects.filter(action__startswith="work").order_by("seq").values_list("action", flat=True)
    )
    assert actions == [
        "workplan.create", "workitem.create", "workitem.create", "workplan.approve",
        "workitem.set_under_way", "workitem.mark_done", "workitem.drop", "workplan.close_plan",
    ]  # fmt: skip
    # Each audit action reads as words, never as its code.
    for action in set(actions):
        assert action_label(action).zh != action, action


def test_refusals_write_nothing(personas: Any) -> None:
    hr, hrsup, leader, employee = personas["hr"], personas["hrsup"], personas["leader"], personas["employee"]
    plan = draft_plan(personas)
    item = first_item(plan)
    _refused(
        403,
        lambda: services.workplan_create(
            user=employee, data={"kind": "year", "period": "2027", "title": "x"}
        ),
    )
    _refused(
        403,
        lambda: services.workplan_create(user=leader, data={"kind": "year", "period": "2027", "title": "x"}),
    )
    _refused(
        409, lambda: services.workplan_create(user=hr, data={"kind": "year", "period": "2026", "title": "x"})
    )
    _refused(
        400,
        lambda: services.workplan_create(user=hr, data={"kind": "year", "period": "2026-Q1", "title": "x"}),
    )
    _refused(
        400, lambda: services.workplan_create(user=hr, data={"kind": "1e30", "period": "2027", "title": "x"})
    )
    _refused(
        400,
        lambda: services.workplan_create(
            user=hr, data={"kind": "year", "period": "2027", "title": "长" * 20_001}
        ),
    )
    # Nobody approves their own plan; an HR officer is not an approver; the version must be the one read.
    _refused(403, lambda: services.workplan_approve(user=hr, plan=plan))
    own = services.workplan_create(user=hrsup, data={"kind": "month", "period": "2026-05", "title": "五月"})
    services.workitem_create(user=hrsup, plan=own, data=item_data(personas))
    _refused(403, lambda: services.workplan_approve(user=hrsup, plan=own))
    _refused(409, lambda: services.workplan_approve(user=hrsup, plan=plan, expected_version=plan.version - 1))
    empty = services.workplan_create(user=hr, data={"kind": "month", "period": "2026-06", "title": "六月"})
    _refused(409, lambda: services.workplan_approve(user=leader, plan=empty))
    # A draft's items do not move; an item's fields are bounded and checked.
    _refused(409, lambda: services.workitem_step(user=hr, item=item, action="set_under_way"))
    bad = [
        {"task": ""}, {"task": "x" * 301}, {"owner": 10**30}, {"owner": "nan"}, {"owner": -1},
        {"due": "1e30"}, {"due": "nan"}, {"due": "2200-01-01"}, {"cycle_ids": ["-1"]}, {"cycle_ids": [999_999]},
        {"training_ids": ["1e30"]}, {"training_ids": [str(n) for n in range(1, 30)]}, {"detail": "x" * 5_001},
    ]  # fmt: skip
    for change in bad:
        _refused(
            400,
            lambda change=change: services.workitem_create(
                user=hr, plan=plan, data=item_data(personas, **change)
            ),
        )
    _refused(
        409, lambda: services.workitem_create(user=hr, plan=plan, data=item_data(personas), plan_version=1)
    )
    approved = services.workplan_approve(user=leader, plan=plan)
    item.refresh_from_db()
    _refused(
        409,
        lambda: services.workitem_update(
            user=hr, item=item, data=item_data(personas), expected_version=item.version
        ),
    )
    _refused(409, lambda: services.workitem_delete(user=hr, item=item))
    _refused(400, lambda: services.workitem_step(user=hr, item=item, action="drop", reason=""))
    _refused(400, lambda: services.workitem_step(user=hr, item=item, action="nan"))
    _refused(
        403, lambda: services.workitem_step(user=personas["colleague"], item=item, action="set_under_way")
    )
    _refused(403, lambda: services.workitem_step(user=leader, item=item, action="set_under_way"))
    _refused(409, lambda: services.workplan_close(user=hr, plan=approved))  # an item still open
    _refused(403, lambda: services.workplan_close(user=leader, plan=approved))
    _refused(400, lambda: services.workplan_reopen(user=hr, plan=approved, reason=" "))


def test_reopen_edit_and_approve_again(personas: Any) -> None:
    hr, leader = personas["hr"], personas["leader"]
    plan = approved_plan(personas)
    plan = services.workplan_reopen(user=hr, plan=plan, reason="补充一项。", expected_version=plan.version)
    assert (plan.state, plan.approved_by) == ("draft", None)
    item = first_item(plan)
    changed = services.workitem_update(
        user=hr,
        item=item,
        data=item_data(personas, "colleague", task="改过的事项"),
        expected_version=item.version,
    )
    assert (changed.task, changed.owner) == ("改过的事项", personas.employees["colleague"])
    extra = services.workitem_create(user=hr, plan=plan, data=item_data(personas, task="多余的"))
    services.workitem_delete(user=hr, item=extra, expected_version=extra.version)
    assert not WorkItem.objects.filter(pk=extra.pk).exists()
    assert AuditEvent.objects.filter(action="workitem.delete", object_id=str(extra.pk)).exists()
    plan.refresh_from_db()
    again = services.workplan_approve(user=leader, plan=plan, expected_version=plan.version)
    assert again.state == "approved" and again.approved_by == leader


def test_an_approval_of_a_changed_plan_is_refused(personas: Any) -> None:
    """The approver approves what they read: an item added meanwhile moves the plan's version."""
    plan = draft_plan(personas)
    seen = plan.version
    services.workitem_create(user=personas["hr"], plan=plan, data=item_data(personas, task="后加的"))
    _refused(409, lambda: services.workplan_approve(user=personas["hrsup"], plan=plan, expected_version=seen))


def test_overdue_items_are_flagged(personas: Any) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    plan = draft_plan(personas, items=0)
    late = services.workitem_create(user=personas["hr"], plan=plan, data=item_data(personas, due=yesterday))
    services.workitem_create(user=personas["hr"], plan=plan, data=item_data(personas, task="未到期"))
    plan = services.workplan_approve(user=personas["hrsup"], plan=plan)
    page = plan_page(user=personas["hr"], pk=plan.pk)
    assert page.overdue == 1 and [r.overdue for r in page.rows] == [True, False]
    assert plan_list_page(user=personas["leader"]).rows[0].overdue == 1
    mine = my_items_page(user=personas["employee"])
    assert mine.overdue == 1
    services.workitem_step(user=personas["employee"], item=late, action="mark_done")
    assert plan_page(user=personas["hr"], pk=plan.pk).overdue == 0


def test_who_reads_and_moves_what_and_scope_agrees(personas: Any) -> None:
    draft = draft_plan(personas, "2027")
    approved = approved_plan(personas, "2026", owner="colleague")
    items = list(WorkItem.objects.all())
    for action, model in (
        ("workplan.view", WorkPlan),
        ("workitem.view", WorkItem),
        ("workitem.step", WorkItem),
    ):
        for name in PERSONA_NAMES:
            visible = set(scope(personas[name], action, model.objects.all()).values_list("pk", flat=True))
            for obj in model.objects.all():
                assert (obj.pk in visible) == can(personas[name], action, obj), (name, action, obj.pk)
    readers = {n for n in PERSONA_NAMES if can(personas[n], "workplan.view", draft)}
    assert readers == {"hr", "hrsup", "leader", "deputy", "member"}
    # The owner reads their item once the plan is approved (a draft's item is HR's), and only theirs.
    draft_item = next(i for i in items if i.plan_id == draft.pk)
    approved_item = next(i for i in items if i.plan_id == approved.pk)
    assert not can(personas["employee"], "workitem.view", draft_item)
    assert can(personas["colleague"], "workitem.view", approved_item)
    assert not can(personas["employee"], "workitem.view", approved_item)
    movers = {n for n in PERSONA_NAMES if can(personas[n], "workitem.step", approved_item)}
    assert movers == {"colleague", "hr", "hrsup"}
    approvers = {n for n in PERSONA_NAMES if can(personas[n], "workplan.approve", draft)}
    assert approvers == {"hrsup", "leader"}  # the author (hr) is not one


def test_access_names_the_same_states_as_the_models() -> None:
    assert {str(s) for s in models.VISIBLE_TO_OWNERS} == rules.workplans.VISIBLE_TO_OWNERS


def test_periods() -> None:
    assert period_bounds("2024") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert period_bounds("2024-Q1") == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    assert period_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


def test_linked_cycles_and_training_sessions(personas: Any) -> None:
    cycle = next(iter(personas.cycles.values()))
    plan = draft_plan(personas, items=0)
    services.workitem_create(
        user=personas["hr"],
        plan=plan,
        data=item_data(personas, cycle_ids=[str(cycle.pk)], training_ids=["7", "7", "3"]),
    )
    row = plan_page(user=personas["hr"], pk=plan.pk).rows[0]
    assert [c.name for c in row.cycles] == [cycle.label]
    assert row.cycles[0].url == reverse("cycles:cycle_detail", args=[cycle.pk])
    assert [t.name for t in row.trainings] == ["#3", "#7"]
    # Linked by the training wing's page name when it has one, else shown as a number only.
    expected = {"training:detail" in _url_names()}
    assert {bool(t.url) for t in row.trainings} == expected


def _url_names() -> set[str]:
    from django.urls import NoReverseMatch

    try:
        reverse("training:detail", args=[1])
    except NoReverseMatch:
        return set()
    return {"training:detail"}


def test_pages_for_hr_committee_and_owner(personas: Any, client_for: Any) -> None:
    hr, leader, employee = client_for("hr"), client_for("leader"), client_for("employee")
    made = hr.post(
        reverse("workplans:create"), {"kind": "year", "period": "2026", "title": "2026 年度考核工作计划"}
    )
    plan = WorkPlan.objects.get()
    assert made.status_code == 302 and made["Location"] == plan.link
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    added = hr.post(
        reverse("workplans:item_create", args=[plan.pk]),
        {"task": "发布年度考核框架", "owner_number": personas.employees["employee"].number, "due": due,
         "training_ids": "4，5", "version": plan.version},
    )  # fmt: skip
    assert added.status_code == 302, added.content.decode()[:2000]
    item = WorkItem.objects.get()
    assert (item.owner, item.training_ids) == (personas.employees["employee"], [4, 5])
    body = leader.get(plan.link).content.decode()
    assert "发布年度考核框架" in body and "批准计划" in body  # the leader's button
    assert "批准计划" not in hr.get(plan.link).content.decode()  # the author has none
    assert employee.get(plan.link).status_code == 404
    assert "发布年度考核框架" not in employee.get(reverse("workplans:mine")).content.decode()
    plan.refresh_from_db()
    approved = leader.post(
        reverse("workplans:step", args=[plan.pk]), {"op": "approve", "version": plan.version}
    )
    assert approved.status_code == 302
    mine = employee.get(reverse("workplans:mine")).content.decode()
    assert "发布年度考核框架" in mine and "开始办理" not in mine and "开始" in mine
    moved = employee.post(
        reverse("workplans:item_step", args=[item.pk]),
        {"op": "set_under_way", "back": "mine", "version": item.version},
    )
    assert moved.status_code == 302 and moved["Location"] == reverse("workplans:mine")
    refused = employee.post(reverse("workplans:item_step", args=[item.pk]), {"op": "drop", "back": "mine"})
    assert refused.status_code == 400 and "原因" in refused.content.decode()
    assert (
        client_for("colleague")
        .post(reverse("workplans:item_step", args=[item.pk]), {"op": "drop"})
        .status_code
        == 404
    )
    assert "执行中" in hr.get(reverse("workplans:list")).content.decode()
    assert "进行中" in hr.get(plan.link).content.decode()
    assert hr.get(reverse("workplans:edit", args=[plan.pk])).status_code == 409


def test_hostile_form_input_is_refused_and_kept(personas: Any, client_for: Any) -> None:
    hr = client_for("hr")
    long = "长" * 20_001
    answer = hr.post(reverse("workplans:create"), {"kind": "year", "period": "2026", "title": long})
    assert answer.status_code == 400 and not WorkPlan.objects.exists()
    answer = hr.post(
        reverse("workplans:create"), {"kind": "year", "period": "1e30", "title": "<script>alert(1)</script>"}
    )
    body = answer.content.decode()
    assert (
        answer.status_code == 400
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        and "<script>alert" not in body
    )
    plan = draft_plan(personas, items=0)
    for due in ("nan", "1e30", "-1", "2026-13-40"):
        answer = hr.post(
            reverse("workplans:item_create", args=[plan.pk]),
            {
                "task": "任务",
                "owner": str(personas.employees["employee"].pk),
                "due": due,
                "training_ids": "x",
            },
        )
        assert answer.status_code == 400, due
        assert 'value="任务"' in answer.content.decode()
    answer = hr.post(
        reverse("workplans:item_create", args=[plan.pk]),
        {"task": "任务", "owner": "", "owner_number": "NOBODY", "due": "2026-05-01"},
    )
    assert answer.status_code == 400 and "工号" in answer.content.decode()
    assert not WorkItem.objects.exists()


def test_the_list_reads_in_a_fixed_number_of_queries(personas: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            plan_list_page(user=personas["hr"])
        return len(queries)

    approved_plan(personas, "2026")
    count()  # the acting user is resolved once, then cached on the user
    one = count()
    for period in ("2026-Q1", "2026-Q2", "2026-03"):
        approved_plan(personas, period, items=3)
    assert count() == one


def test_my_items_read_in_a_fixed_number_of_queries(personas: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            my_items_page(user=personas["employee"])
        return len(queries)

    approved_plan(personas, "2026")
    count()  # the acting user is resolved once, then cached on the user
    one = count()
    approved_plan(personas, "2026-Q1", items=4)
    assert count() == one


def test_labels_of_the_states() -> None:
    from jixiao.people.workplans.workflow import WORK_ITEM, WORK_PLAN

    for table in (WORK_PLAN, WORK_ITEM):
        for state, label in table.labels.items():
            assert isinstance(label, Text) and label.zh and label.en and label.zh != state


def test_no_page_shows_a_raw_code(personas: Any, client_for: Any) -> None:
    """States, kinds, steps and audit actions by their labels, in Chinese and in English."""
    from tests.test_no_raw_codes import known_codes, leaks, visible

    plan = approved_plan(personas, "2026", items=3)
    one, two, _three = plan.items.order_by("pk")
    services.workitem_step(user=personas["employee"], item=one, action="mark_done")
    services.workitem_step(user=personas["hr"], item=two, action="drop", reason="不再需要")
    draft = draft_plan(personas, "2026-Q2")
    urls = [
        reverse("workplans:list"), plan.link, draft.link, reverse("workplans:mine"),
        reverse("workplans:item_create", args=[draft.pk]), reverse("workplans:edit", args=[draft.pk]),
    ]  # fmt: skip
    codes, logins = known_codes(), {f"p_{n}" for n in PERSONA_NAMES}
    for who in ("hr", "leader", "employee"):
        for language in ("zh-hans", "en"):
            client = client_for(who)
            client.cookies["django_language"] = language
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                if response.status_code == 200:
                    found = leaks(visible(response.content.decode()), codes, language == "en", logins)
                    assert not found, (who, language, url, found)
