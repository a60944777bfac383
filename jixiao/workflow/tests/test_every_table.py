"""Every transition table in the product: each (state, action) pair the table does not allow is
refused and writes nothing.

Tables are found by walking every ``workflow`` module of every app and wing (the convention:
a record's table is the module-level ``Workflow`` in its package's ``workflow.py``).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import jixiao
from jixiao.access.actor import SYSTEM
from jixiao.audit.models import AuditEvent
from jixiao.common.errors import JixiaoError
from jixiao.workflow.services import transition_apply
from jixiao.workflow.table import Workflow

pytestmark = pytest.mark.db


def every_table() -> list[Workflow]:
    tables: dict[str, Workflow] = {}
    for info in pkgutil.walk_packages(jixiao.__path__, "jixiao."):
        if info.name.endswith(".workflow") and ".tests" not in info.name:
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, Workflow):
                    tables[value.name] = value
    return sorted(tables.values(), key=lambda t: t.name)


TABLES = every_table()


def test_the_product_declares_its_tables() -> None:
    assert TABLES, "no transition table found in any workflow module"


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_every_pair_not_in_the_table_is_refused_and_writes_nothing(db: Any, table: Workflow) -> None:
    events = AuditEvent.objects.count()
    rows = table.model._default_manager.count()
    for state in sorted(table.states):
        for transition in table.transitions:
            if state in transition.sources:
                continue
            record = table.model(**{table.field: state})
            with pytest.raises(JixiaoError) as refused:
                transition_apply(
                    user=SYSTEM, workflow=table, obj=record, action=transition.action, reason="test"
                )
            assert refused.value.status == 409, (table.name, state, transition.action)
    assert AuditEvent.objects.count() == events
    assert table.model._default_manager.count() == rows
