"""The hub (成长与发展) offers each person the pages they may open, and no other."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_everyone_gets_their_own_doors_and_only_deciders_the_lists(client_for: Any) -> None:
    employee = client_for("employee").get(reverse("people_hub"))
    assert employee.status_code == 200
    html = employee.content.decode()
    assert reverse("training:my_rules") in html and reverse("improvement:list") in html
    assert 'id="decide"' not in html and reverse("cadres:talent") not in html
    hr = client_for("hr").get(reverse("people_hub")).content.decode()
    assert reverse("people_rules:proposals") in hr and reverse("training:untrained") in hr
    member = client_for("member").get(reverse("people_hub")).content.decode()
    assert reverse("cadres:talent") in member


def test_every_door_opens_for_whoever_is_offered_it(client_for: Any) -> None:
    """A door the hub offers never answers 403 or 404 to the person it was offered to."""
    import re

    for who in (
        "employee",
        "head",
        "hr",
        "hrsup",
        "leader",
        "deputy",
        "member",
        "finance",
        "auditor",
        "admin",
    ):
        client = client_for(who)
        hub = client.get(reverse("people_hub")).content.decode()
        for link in re.findall(r'<li><a href="(/people/[^"]+)"', hub):
            assert client.get(link).status_code == 200, (who, link)
