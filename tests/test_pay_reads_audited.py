"""Every page that shows someone else's money writes ONE ``pay.read`` event per view (SPEC §10,
issue 11 item 7): the sanctions list and the pay structures included, not only the runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.pay.monthly.models import Sanction
from jixiao.pay.structures.models import PayStructure

pytestmark = pytest.mark.django_db


def _reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="pay.read").order_by("seq"))


def _sanctions(p: Any) -> list[Sanction]:
    return [
        Sanction.objects.create(
            employee=p.employees[name], month="2026-03", kind="reward", amount_fen=50_000, reason="季度之星"
        )
        for name in ("employee", "colleague", "employee")
    ]


def _structure(p: Any) -> PayStructure:
    return PayStructure.objects.create(
        position=p.position,
        base_salary=400000,
        monthly_bonus_base=100000,
        travel_per_day=20000,
        effective_from=dt.date(2024, 1, 1),
    )


def test_the_sanctions_list_logs_one_read_naming_the_people_shown(personas: Any, client_for: Any) -> None:
    _sanctions(personas)
    assert client_for("hr").get(reverse("pay:sanctions")).status_code == 200
    (event,) = _reads()
    assert event.actor_id == personas["hr"].pk
    expected = sorted({personas.employees["employee"].pk, personas.employees["colleague"].pk})
    assert '"employees":' + str(expected).replace(" ", "") in event.body


def test_the_sanctions_list_of_only_ones_own_logs_nothing(personas: Any, client_for: Any) -> None:
    Sanction.objects.create(
        employee=personas.employees["member"], month="2026-03", kind="reward", amount_fen=1, reason="x"
    )
    assert client_for("member").get(reverse("pay:sanctions")).status_code == 200
    assert _reads() == []


def test_the_pay_structures_list_logs_one_read(personas: Any, client_for: Any) -> None:
    _structure(personas)
    assert client_for("finance").get(reverse("pay:structures")).status_code == 200
    (event,) = _reads()
    assert event.actor_id == personas["finance"].pk and f'"positions":[{personas.position.pk}]' in event.body


def test_a_positions_pay_structure_page_logs_one_read(personas: Any, client_for: Any) -> None:
    structure = _structure(personas)
    url = reverse("pay:structure_edit", kwargs={"pk": personas.position.pk})
    assert client_for("hr").get(url).status_code == 200
    (event,) = _reads()
    assert event.object_id == str(personas.position.pk) and f'"structures":[{structure.pk}]' in event.body


def test_a_refused_reader_writes_nothing(personas: Any, client_for: Any) -> None:
    _sanctions(personas)
    _structure(personas)
    for name in ("pay:sanctions", "pay:structures"):
        assert client_for("admin").get(reverse(name)).status_code == 403
    assert _reads() == []
