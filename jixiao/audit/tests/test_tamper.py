"""Editing any stored column of any event is found, and ``audit verify`` names that event.

Each column is tampered in turn with raw SQL (the test suite holds the maintenance flag, so the
database lets the UPDATE through) on the first, a middle and the last event of a chain.
"""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jixiao.audit.models import AuditEvent
from jixiao.audit.selectors import audit_chain_verify
from jixiao.audit.services import audit_record

pytestmark = pytest.mark.django_db

ALICE = SimpleNamespace(pk=7, username="alice")
FORGED_TIME = dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def _chain() -> list[AuditEvent]:
    return [
        audit_record(
            actor=ALICE if i % 2 else None, action="pay.read", object_type="t", object_id=i, after={"i": i}
        )
        for i in range(5)
    ]


def _tamper(column: str, seq: int) -> None:
    """Change ``column`` of the event ``seq`` to a plausible other value."""
    values: dict[str, Any] = {
        "seq": seq + 100,
        "created_at": connection.ops.adapt_datetimefield_value(FORGED_TIME),
        "actor_id": 999,
        "actor_name": "mallory",
        "action": "pay.update",
        "object_type": "u",
        "object_id": "999",
        "prev_hash": "f" * 64,
        "hash": "e" * 64,
    }
    with connection.cursor() as cursor:
        if column == "body":
            cursor.execute(
                "UPDATE audit_auditevent SET body = REPLACE(body, '\"t\"', '\"u\"') WHERE seq = %s", [seq]
            )
        elif column == "id":
            cursor.execute("UPDATE audit_auditevent SET id = id + 1000 WHERE seq = %s", [seq])
        else:
            cursor.execute(f"UPDATE audit_auditevent SET {column} = %s WHERE seq = %s", [values[column], seq])
        assert cursor.rowcount == 1


COLUMNS = [
    "id",
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "body",
    "prev_hash",
    "hash",
]


def test_every_stored_column_is_in_the_tamper_list() -> None:
    assert {f.column for f in AuditEvent._meta.concrete_fields} == set(COLUMNS)


@pytest.mark.parametrize("position", [0, 2, 4])
@pytest.mark.parametrize("column", COLUMNS)
def test_an_edit_of_any_column_is_found_at_its_event(column: str, position: int) -> None:
    events = _chain()
    assert audit_chain_verify().ok
    seq = events[position].seq
    _tamper(column, seq)
    report = audit_chain_verify()
    assert report.broken_seq == seq, (column, report.problem)
    assert report.problem.zh and report.problem.en
    with pytest.raises(CommandError, match=rf"seq {seq}:"):
        call_command("audit", "verify")


def test_the_report_names_the_column_in_both_languages() -> None:
    events = _chain()
    _tamper("actor_name", events[1].seq)
    problem = audit_chain_verify().problem
    assert "操作人" in problem.zh and "actor_name" in problem.en


def test_events_are_keyed_by_their_sequence_number() -> None:
    assert all(e.pk == e.seq for e in _chain())


def test_migration_0003_renumbers_old_keys() -> None:
    events = _chain()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET id = id + 50")
    assert audit_chain_verify().broken_seq == events[0].seq
    migration = importlib.import_module("jixiao.audit.migrations.0003_id_is_seq")
    migration.renumber(None, SimpleNamespace(connection=connection))
    assert audit_chain_verify().ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM audit_maintenance")
        assert [r[0] for r in cursor.fetchall()] == ["test suite"]
