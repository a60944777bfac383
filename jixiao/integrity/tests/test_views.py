"""The integrity flags pages over real HTTP: who reaches them, and what HR reads there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from jixiao.cycles.tests.helpers import closed_cycle
from jixiao.integrity.tests.test_selectors import LOW, TEAM, enter, team_cycle

pytestmark = pytest.mark.django_db


def test_hr_reads_the_flags_grouped_by_kind_with_links_to_results(personas: Any, client_for: Any) -> None:
    from jixiao.cycles.lifecycle import services

    cycle, members = team_cycle(personas)
    for name in TEAM:
        enter(personas, members[name], LOW, attitude="good", teamwork="good")
    services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    page = client_for("hr").get(reverse("integrity:cycle_flags", kwargs={"pk": cycle.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="uniform"' in html and 'id="team"' in html and "测试head的下属" in html
    result_pk = members["employee"].result.pk
    assert reverse("cycles:result_detail", kwargs={"pk": result_pk}) in html


def test_the_cycle_page_links_to_the_flags_for_hr_but_not_for_a_head(personas: Any, client_for: Any) -> None:
    cycle = closed_cycle(personas)
    url = reverse("integrity:cycle_flags", kwargs={"pk": cycle.pk})
    detail = reverse("cycles:cycle_detail", kwargs={"pk": cycle.pk})
    assert url in client_for("hr").get(detail).content.decode()
    assert url not in client_for("head").get(detail).content.decode()
    assert client_for("head").get(url).status_code == 403


def test_the_navigation_offers_the_flags_to_the_committee(personas: Any, client_for: Any) -> None:
    closed_cycle(personas)
    home = client_for("member").get(reverse("home")).content.decode()
    assert reverse("integrity:flag_cycles") in home
    listing = client_for("member").get(reverse("integrity:flag_cycles")).content.decode()
    assert "2026-10" in listing
    assert (
        reverse("integrity:flag_cycles") not in client_for("employee").get(reverse("home")).content.decode()
    )
