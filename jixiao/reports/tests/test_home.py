"""The home page: the acting user is loaded once per request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["head", "hr", "employee"])
def test_the_home_page_loads_the_acting_user_once(persona: str, client_for: Any) -> None:
    client = client_for(persona)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    # MariaDB quotes names with backticks, SQLite and PostgreSQL with double quotes.
    sqls = [q["sql"].replace("`", '"') for q in queries.captured_queries]
    roles = [sql for sql in sqls if 'FROM "access_rolegrant"' in sql]
    employee_rows = [
        sql for sql in sqls if 'FROM "org_employee"' in sql and '"org_employee"."user_id" =' in sql
    ]
    assert len(roles) == 1, roles
    assert len(employee_rows) == 1, employee_rows
