"""The demo has cases in every state (issue 12): an appeal upheld, one adjusted with its pay
adjustment, one open and overdue; complaints open and closed; an anonymous allegation with a
reply; suggestions received, answered and published. One load, every state checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from jixiao.access.actor import SYSTEM
from jixiao.access.policy import can
from jixiao.cases.appeals.models import OPEN, Appeal
from jixiao.cases.appeals.selectors import appeal_due
from jixiao.cases.concerns.models import Concern, NoteKind
from jixiao.cases.selectors import inbox_page
from jixiao.cases.suggestions.models import Suggestion
from jixiao.cycles.lifecycle.models import CycleHold
from jixiao.cycles.results.models import Result
from jixiao.demo.story import CLOSED, PUBLISHED, story
from jixiao.pay.monthly.services import monthly_pay_run_compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings: Any) -> None:
    call_command("demo", verbosity=0)


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_the_demo_has_cases_in_every_state(demo: None) -> None:
    day = story()
    appeals = {a.state: a for a in Appeal.objects.select_related("cycle", "pay_adjustment")}
    assert set(appeals) == {"upheld", "adjusted", "rechecking"}

    upheld = appeals["upheld"]
    assert upheld.cycle.label == day.label(PUBLISHED) and upheld.statements.get().is_answered

    adjusted = appeals["adjusted"]
    assert adjusted.late and adjusted.cycle.label == day.label(CLOSED[0])
    assert adjusted.figures_before["grade"] == "B" and adjusted.figures_after["grade"] == "A"
    result = Result.objects.get(pk=adjusted.result_id)
    assert result.revision == 2 and result.versions.get().source == adjusted.source
    payment = adjusted.pay_adjustment
    assert payment is not None and payment.amount_fen > 0 and payment.source == adjusted.source
    assert payment.month == day.label(-2)  # the first month whose pay is not released
    waiting = monthly_pay_run_compute(user=SYSTEM, month=day.label(-2))
    line = waiting.lines.get(employee_id=adjusted.appellant_id)
    assert line.adjustment_fen == payment.amount_fen
    assert waiting.over_budget_fen == 0  # HR may still release it (the monthly pay journey does)

    overdue = appeals["rechecking"]
    assert overdue.state in OPEN and overdue.cycle.label == day.label(PUBLISHED)
    due = appeal_due(overdue)
    assert due is not None and due < timezone.localdate()
    assert CycleHold.objects.filter(cycle=overdue.cycle, source=overdue.source).exists()
    escalated = inbox_page(user=_user("deputy"), overdue_only=True).items
    assert [i.reference for i in escalated if i.escalated] == [overdue.reference]

    complaints = dict(Concern.objects.filter(kind="complaint").values_list("state", "outcome"))
    assert complaints == {"investigating": "", "closed": "partly_substantiated"}

    allegation = Concern.objects.get(kind="allegation")
    assert allegation.anonymous and allegation.reporter_id is None and allegation.code_hash
    assert allegation.notes.filter(kind=NoteKind.REPLY, author=_user("deputy")).exists()
    assert can(_user("deputy"), "concern.view", allegation)
    assert not can(_user("prd_head"), "concern.view", allegation)  # the named lead's head

    states = set(Suggestion.objects.values_list("state", flat=True))
    assert {"received", "answered", "published"} <= states
