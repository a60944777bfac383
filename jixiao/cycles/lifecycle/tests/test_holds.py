"""Holds: an open case keeps the cycle from locking, named in the refusal; released, it locks."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle import services
from jixiao.cycles.lifecycle.holds import hold_place, hold_release, holds_of
from jixiao.cycles.tests.helpers import published_cycle
from jixiao.engine.text import Text


@pytest.mark.django_db
def test_a_hold_refuses_the_lock_naming_it_and_released_the_cycle_locks(personas: Any) -> None:
    cycle = published_cycle(personas)
    hold_place(
        cycle=cycle, source="appeal:12", reason=Text("申诉 AP-12 尚未办结", "Appeal AP-12 is still open")
    )
    hold_place(
        cycle=cycle, source="appeal:12", reason=Text("申诉 AP-12 尚未办结", "Appeal AP-12 is still open")
    )
    hold_place(
        cycle=cycle, source="appeal:13", reason=Text("申诉 AP-13 尚未办结", "Appeal AP-13 is still open")
    )
    assert [h.source for h in holds_of(cycle)] == ["appeal:12", "appeal:13"]  # idempotent per source
    with pytest.raises(JixiaoError) as refused:
        services.cycle_lock(user=personas["hr"], cycle=cycle)
    assert refused.value.status == 409
    assert "申诉 AP-12 尚未办结" in refused.value.message.zh
    assert "Appeal AP-13 is still open" in refused.value.message.en
    cycle.refresh_from_db()
    assert cycle.state == "published"
    assert not AuditEvent.objects.filter(action="cycle.lock").exists()

    hold_release(cycle=cycle, source="appeal:12")
    with pytest.raises(JixiaoError):
        services.cycle_lock(user=personas["hr"], cycle=cycle)
    hold_release(cycle=cycle, source="appeal:13")
    hold_release(cycle=cycle, source="appeal:13")  # releasing twice is harmless
    assert services.cycle_lock(user=personas["hr"], cycle=cycle).state == "locked"
