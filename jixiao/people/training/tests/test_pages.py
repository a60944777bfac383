"""The training pages in both languages show states, sources and modes by their labels, never
a stored code (the demo walk of tests/test_no_raw_codes.py reaches them only once they are linked
from the navigation, so they are walked here on a persona world with every kind of row)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.people.training import services
from jixiao.people.training.imports import training_attendance_import
from tests.test_no_raw_codes import known_codes, leaks, visible

from .test_my_rules import sales_pay_plan
from .world import held, planned

pytestmark = pytest.mark.django_db


def test_no_training_page_shows_a_raw_code(personas: Any) -> None:
    from jixiao.pay.monthly.tests.world import released_run

    sales_pay_plan(personas)
    released_run(personas)
    s = held(personas)
    rows = [["工号", "出勤", "备注"], ["P001", "是", ""], ["P002", "否", "病假"], ["P100", "是", ""]]
    training_attendance_import(user=personas["hr"], session=s, rows=rows)
    services.training_cancel(
        user=personas["hr"], session=planned(personas, topic="取消的一场"), reason="改期"
    )
    pages = [
        reverse("training:list"),
        reverse("training:detail", args=[s.pk]),
        reverse("training:my_rules"),
        reverse("training:untrained"),
        reverse("training:create"),
        reverse("training:edit", args=[s.pk]),
    ]
    codes, logins = known_codes(), {"p_employee", "p_hr"}
    problems = []
    for name, shown in (("hr", pages), ("employee", pages[:3])):
        for language in ("zh-hans", "en"):
            client = Client(HTTP_ACCEPT_LANGUAGE=language)
            client.force_login(personas[name], backend="django.contrib.auth.backends.ModelBackend")
            client.cookies["django_language"] = language
            for url in shown:
                response = client.get(url)
                if response.status_code != 200:
                    continue
                found = leaks(visible(response.content.decode()), codes, language == "en", logins)
                problems += [f"{name} {language} {url}: {code}" for code in sorted(found)]
    assert not problems, problems
