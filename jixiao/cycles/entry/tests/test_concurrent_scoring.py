"""Many managers scoring at once through the real service, on a real file database (SQLite, and
PostgreSQL / MariaDB when the suite runs there): nothing lost, stale saves refused with 409,
never "database is locked"."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict
from jixiao.cycles.entry.models import Score
from jixiao.cycles.entry.services import score_set
from jixiao.cycles.lifecycle.models import CycleMember
from jixiao.cycles.tests.helpers import member_of, open_cycle
from jixiao.org.models import Employee

MANAGERS, TEAM, TABS, ROUNDS = 8, 5, 2, 3
INDICATORS = ("teamwork", "attitude")
LEVELS = ("excellent", "good", "fair", "poor")


def build_teams(personas: Any, cycle: Any) -> list[tuple[Any, list[CycleMember]]]:
    """Eight managers in the persona department, each with a team of five in the open cycle."""
    snapshot_id = member_of(personas, cycle).snapshot_id
    department = personas.department
    teams = []
    for m in range(MANAGERS):
        user = get_user_model().objects.create_user(f"conc_mgr{m}", password="x")
        manager = Employee.objects.create(number=f"CM{m}", name=f"经理{m}", department=department, user=user)
        members = []
        for n in range(TEAM):
            employee = Employee.objects.create(
                number=f"CM{m}-{n}", name=f"组员{m}-{n}", department=department, manager=manager
            )
            members.append(
                CycleMember.objects.select_related("snapshot", "cycle").get(
                    pk=CycleMember.objects.create(
                        cycle=cycle,
                        employee=employee,
                        snapshot_id=snapshot_id,
                        department=department,
                        manager=manager,
                    ).pk
                )
            )
        teams.append((user, members))
    return teams


@pytest.mark.django_db(transaction=True)
def test_eight_managers_scoring_at_once_lose_nothing_and_stale_saves_get_409(personas: Any) -> None:
    cycle = open_cycle(personas)
    teams = build_teams(personas, cycle)
    saved: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)  # cell → (version, value)
    conflicts: list[Conflict] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(MANAGERS * TABS)

    def tab(user: Any, members: list[CycleMember], number: int) -> None:
        """One browser tab of one manager: reads each cell's version, then saves against it."""
        try:
            start.wait()
            for round_ in range(ROUNDS):
                for member in members:
                    for indicator in INDICATORS:
                        row = Score.objects.filter(
                            member=member, indicator_key=indicator, rater_kind="manager"
                        ).first()
                        value = LEVELS[(round_ + number + member.pk) % len(LEVELS)]
                        try:
                            score = score_set(
                                user=user,
                                member=member,
                                indicator_key=indicator,
                                rater_kind="manager",
                                value=value,
                                expected_version=row.version if row else 0,
                            )
                        except Conflict as conflict:
                            with lock:
                                conflicts.append(conflict)
                            continue
                        assert score is not None
                        with lock:
                            saved[(member.pk, indicator)].append((score.version, value))
        except BaseException as error:
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=tab, args=(user, members, number))
        for user, members in teams
        for number in range(TABS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors, errors  # in particular no "database is locked"
    assert all(c.status == 409 for c in conflicts)
    _assert_every_save_is_one_version(cycle, teams, saved, conflicts)


def _assert_every_save_is_one_version(cycle: Any, teams: Any, saved: Any, conflicts: list[Conflict]) -> None:
    """Every accepted save is one version and one audit event; none lost or overwritten unseen."""
    cells = [(m.pk, ind) for _, members in teams for m in members for ind in INDICATORS]
    assert len(saved) == len(cells)
    for member_pk, indicator in cells:
        score = Score.objects.get(member_id=member_pk, indicator_key=indicator, rater_kind="manager")
        history = sorted(saved[(member_pk, indicator)])
        # every accepted save is one version, none lost or overwritten unseen; the last one stands
        assert [v for v, _ in history] == list(range(1, score.version + 1))
        assert score.value == history[-1][1]
    attempts = MANAGERS * TABS * ROUNDS * TEAM * len(INDICATORS)
    accepted = sum(len(h) for h in saved.values())
    assert accepted + len(conflicts) == attempts
    ids = [
        str(pk)
        for pk in Score.objects.filter(
            member__cycle=cycle, member__manager__user__username__startswith="conc_mgr"
        ).values_list("pk", flat=True)
    ]
    assert AuditEvent.objects.filter(action="score.set", object_id__in=ids).count() == accepted
