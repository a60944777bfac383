"""The two write primitives on a real row: a transition refused in the wrong state, a guard
refusing, a permission refusing, the audit event's before and after, the reason rule, and a
version conflict (409) that writes nothing.

The table here is the tests' own (over the framework model) so that the primitive is tested
apart from any app's table; ``test_every_table`` walks the apps' tables.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError, PermissionRefused
from jixiao.engine.text import Text
from jixiao.plans.models import Framework
from jixiao.workflow.services import audited_write, transition_apply
from jixiao.workflow.table import Transition, Workflow

pytestmark = pytest.mark.db


def _never(obj: Any, user: Any) -> None:
    raise JixiaoError(
        zh="守卫拒绝：缺少部门汇总。", en="Refused by the guard: summaries missing.", status=409
    )


TABLE = Workflow(
    name="testdoc",
    model=Framework,
    field="status",
    labels={
        "draft": Text("草稿", "Draft"),
        "submitted": Text("已提交", "Submitted"),
        "returned": Text("已退回", "Returned"),
        "published": Text("已发布", "Published"),
    },
    transitions=(
        Transition("submit", ["draft", "returned"], "submitted", "framework.create", Text("提交", "Submit")),
        Transition(
            "return", ["submitted"], "returned", "framework.create", Text("退回", "Return"), needs_reason=True
        ),
        Transition(
            "publish", ["submitted"], "published", "framework.create", Text("发布", "Publish"), (_never,)
        ),
    ),
)


@pytest.fixture
def doc(personas: Any) -> Framework:
    return Framework.objects.create(code="T", name="测试框架", author=personas["hr"])


def _events() -> int:
    return AuditEvent.objects.count()


def test_a_transition_moves_the_state_and_writes_one_audit_event_with_before_and_after(
    personas: Any, doc: Framework
) -> None:
    before = _events()
    done = transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="submit")
    assert done.status == "submitted"
    assert Framework.objects.get(pk=doc.pk).status == "submitted"
    assert _events() == before + 1
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None and event.action == "testdoc.submit"
    assert '"before":{"status":"draft"' in event.body and '"status":"submitted"' in event.body


def test_a_transition_from_the_wrong_state_is_refused_and_writes_nothing(
    personas: Any, doc: Framework
) -> None:
    before = _events()
    with pytest.raises(JixiaoError) as refused:
        transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="return", reason="x")
    assert refused.value.status == 409 and "草稿" in refused.value.zh and "Draft" in refused.value.en
    assert Framework.objects.get(pk=doc.pk).status == "draft" and _events() == before


def test_a_stale_copy_is_checked_again_under_the_lock(personas: Any, doc: Framework) -> None:
    transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="submit")
    stale = doc  # still says draft
    with pytest.raises(JixiaoError) as refused:
        transition_apply(user=personas["hr"], workflow=TABLE, obj=stale, action="submit")
    assert refused.value.status == 409


def test_a_guard_refuses_with_its_reason_and_nothing_is_written(personas: Any, doc: Framework) -> None:
    doc = transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="submit")
    before = _events()
    with pytest.raises(JixiaoError, match="guard"):
        transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="publish")
    assert Framework.objects.get(pk=doc.pk).status == "submitted" and _events() == before


def test_the_access_rule_refuses_other_people(personas: Any, doc: Framework) -> None:
    with pytest.raises(PermissionRefused):
        transition_apply(user=personas["employee"], workflow=TABLE, obj=doc, action="submit")
    assert Framework.objects.get(pk=doc.pk).status == "draft"


def test_a_transition_that_needs_a_reason_refuses_without_one(personas: Any, doc: Framework) -> None:
    doc = transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="submit")
    with pytest.raises(JixiaoError) as refused:
        transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="return", reason="  ")
    assert refused.value.code == "reason_required"
    done = transition_apply(
        user=personas["hr"], workflow=TABLE, obj=doc, action="return", reason="权重不合理"
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert done.status == "returned" and event is not None and "权重不合理" in event.body


def test_available_lists_only_what_the_user_may_take_now(personas: Any, doc: Framework) -> None:
    assert [t.action for t in TABLE.available(personas["hr"], doc)] == ["submit"]
    assert TABLE.available(personas["employee"], doc) == []


def test_an_audited_write_records_what_changed(personas: Any, doc: Framework) -> None:
    def rename(d: Framework) -> None:
        d.name = "新名称"

    done = audited_write(
        user=personas["hr"], obj=doc, action="testdoc.edit", change=rename, expected_version=doc.version
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert done.name == "新名称" and done.version == doc.version + 1
    assert event is not None and event.action == "testdoc.edit"
    assert '"before":{"name":"测试框架"' in event.body and '"name":"新名称"' in event.body


def test_a_stale_audited_write_is_a_409_and_changes_nothing(personas: Any, doc: Framework) -> None:
    before = _events()

    def rename(d: Framework) -> None:
        d.name = "覆盖"

    with pytest.raises(Conflict) as refused:
        audited_write(
            user=personas["hr"],
            obj=doc,
            action="testdoc.edit",
            change=rename,
            expected_version=doc.version - 1,
        )
    assert refused.value.status == 409 and "输入已保留" in refused.value.zh
    assert Framework.objects.get(pk=doc.pk).name == "测试框架" and _events() == before


def test_an_audited_write_refuses_a_record_in_a_state_it_may_not_be_edited_in(
    personas: Any, doc: Framework
) -> None:
    doc = transition_apply(user=personas["hr"], workflow=TABLE, obj=doc, action="submit")
    with pytest.raises(JixiaoError) as refused:
        audited_write(
            user=personas["hr"],
            obj=doc,
            action="testdoc.edit",
            change=lambda d: setattr(d, "name", "x"),
            states={"draft", "returned"},
            workflow=TABLE,
        )
    assert refused.value.status == 409 and Framework.objects.get(pk=doc.pk).name == "测试框架"


def test_a_table_with_an_unlabelled_state_is_refused_when_it_is_declared() -> None:
    with pytest.raises(ValueError, match="without a label"):
        Workflow(
            name="bad",
            model=Framework,
            field="status",
            labels={"draft": Text("草稿", "Draft")},
            transitions=(Transition("go", ["draft"], "nowhere", "framework.create", Text("走", "Go")),),
        )


def test_an_audited_write_that_changes_nothing_writes_nothing(personas: Any, doc: Framework) -> None:
    before = _events()
    same = audited_write(
        user=personas["hr"],
        obj=doc,
        action="testdoc.edit",
        change=lambda d: setattr(d, "name", "测试框架"),
        expected_version=doc.version,
        skip_unchanged=True,
    )
    assert same.version == doc.version and _events() == before
