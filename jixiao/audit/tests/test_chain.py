"""The audit log is a hash chain: any altered, deleted or reordered row is found and named."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from jixiao.audit.models import AuditEvent
from jixiao.audit.selectors import audit_chain_verify
from jixiao.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action="test.event", object_type="t", object_id=i, after={"i": i})
        for i in range(n)
    ]


def _raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_a_fresh_chain_verifies() -> None:
    _events(5)
    report = audit_chain_verify()
    assert report.ok and report.checked == 5


def test_an_altered_body_is_found_at_its_sequence_number() -> None:
    events = _events(5)
    _raw(
        "UPDATE audit_auditevent SET body = REPLACE(body, '\"i\":2', '\"i\":9') WHERE seq = %s",
        [events[2].seq],
    )
    report = audit_chain_verify()
    assert report.broken_seq == events[2].seq


def test_an_altered_column_outside_the_body_is_found() -> None:
    events = _events(3)
    _raw("UPDATE audit_auditevent SET action = 'forged' WHERE seq = %s", [events[1].seq])
    assert audit_chain_verify().broken_seq == events[1].seq


def test_a_deleted_row_is_found() -> None:
    events = _events(5)
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[3].seq])
    assert audit_chain_verify().broken_seq == events[3].seq


def test_a_row_cut_off_the_end_is_found() -> None:
    events = _events(4)
    _raw("DELETE FROM audit_auditevent WHERE seq = %s", [events[-1].seq])
    assert audit_chain_verify().broken_seq == events[-1].seq


def test_reordered_rows_are_found() -> None:
    events = _events(4)
    a, b = events[1].seq, events[2].seq
    _raw("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [a])
    _raw("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a, b])
    _raw("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", [b])
    assert audit_chain_verify().broken_seq == a


def test_an_anchor_catches_a_rewritten_chain() -> None:
    events = _events(3)
    assert audit_chain_verify(anchor=(events[1].seq, events[1].hash)).ok
    assert audit_chain_verify(anchor=(events[1].seq, "f" * 64)).broken_seq == events[1].seq


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET action = 'x'", "DELETE FROM audit_auditevent"]
)
def test_the_database_refuses_to_change_audit_rows(statement: str) -> None:
    _events(2)
    _raw("DELETE FROM audit_maintenance")  # lift the test suite's flag inside this test's transaction
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw(statement)


def test_verify_command_exits_zero_on_a_good_chain(capsys: Any) -> None:
    _events(2)
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_verify_command_fails_naming_the_first_broken_event() -> None:
    events = _events(3)
    _raw(
        "UPDATE audit_auditevent SET body = REPLACE(body, 'test.event', 'test.evenT') WHERE seq = %s",
        [events[1].seq],
    )
    with pytest.raises(CommandError, match=f"seq {events[1].seq}"):
        call_command("audit", "verify")
