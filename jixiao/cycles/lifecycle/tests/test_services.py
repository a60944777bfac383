"""Cycle services: state guards, versions, the batch close, the import's all-or-nothing rule."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError, PermissionRefused
from jixiao.common.spreadsheet import read_rows
from jixiao.cycles.entry.imports import actuals_import
from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.entry.services import actual_set, conflict_declare, score_set
from jixiao.cycles.lifecycle import services
from jixiao.cycles.results.calculation import result_explain
from jixiao.cycles.results.models import Result
from jixiao.cycles.tests.helpers import closed_cycle, member_of, open_cycle, summaries_checked


@pytest.mark.django_db
def test_no_score_is_accepted_once_scoring_is_closed(personas: Any) -> None:
    cycle = closed_cycle(personas)
    member = member_of(personas, cycle)
    with pytest.raises(JixiaoError) as refused:
        score_set(
            user=personas["head"], member=member, indicator_key="teamwork", rater_kind="manager", value="poor"
        )
    assert refused.value.code == "cycle_state"
    with pytest.raises(JixiaoError):
        actual_set(user=personas["hr"], member=member, measure_key="orders", value="1")


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_changes_nothing(personas: Any) -> None:
    member = member_of(personas, open_cycle(personas))
    score_set(
        user=personas["head"], member=member, indicator_key="teamwork", rater_kind="manager", value="good"
    )
    with pytest.raises(Conflict):
        score_set(
            user=personas["head"],
            member=member,
            indicator_key="teamwork",
            rater_kind="manager",
            value="poor",
            expected_version=0,
        )
    assert Score.objects.get(member=member, rater_kind="manager").value == "good"


@pytest.mark.django_db
def test_nobody_rates_themselves_as_manager_and_a_declared_conflict_blocks_rating(personas: Any) -> None:
    cycle = open_cycle(personas)
    with pytest.raises(PermissionRefused):
        score_set(
            user=personas["head"],
            member=member_of(personas, cycle, "head"),
            indicator_key="teamwork",
            rater_kind="manager",
            value="good",
        )
    member = member_of(personas, cycle)
    conflict_declare(user=personas["colleague"], member=member, reason="亲属关系")
    with pytest.raises(PermissionRefused):
        score_set(
            user=personas["colleague"],
            member=member,
            indicator_key="teamwork",
            rater_kind="peer",
            value="good",
        )


@pytest.mark.django_db
def test_an_unknown_rubric_level_is_refused_in_both_languages(personas: Any) -> None:
    member = member_of(personas, open_cycle(personas))
    with pytest.raises(JixiaoError) as refused:
        score_set(
            user=personas["head"],
            member=member,
            indicator_key="teamwork",
            rater_kind="manager",
            value="superb",
        )
    assert "没有等级" in refused.value.zh and "no level" in refused.value.en


@pytest.mark.django_db
def test_the_batch_close_equals_each_persons_own_result(personas: Any) -> None:
    cycle = closed_cycle(personas)
    results = list(Result.objects.filter(cycle=cycle).select_related("member__snapshot"))
    assert len(results) == 3
    for result in results:
        person = result_explain(result, result.member.snapshot)
        assert person.total == (Decimal(result.total_milli) / 1000).quantize(Decimal("0.01"))
        assert person.trace is not None and person.trace.replay() == person.total
    top = Result.objects.get(member=member_of(personas, cycle))
    assert (top.total_milli, top.grade, top.rank_department) == (90340, "A", 1)


@pytest.mark.django_db
def test_closing_again_is_idempotent(personas: Any) -> None:
    cycle = closed_cycle(personas)
    before = list(
        Result.objects.filter(cycle=cycle)
        .order_by("member_id")
        .values_list("member_id", "total_milli", "grade", "rank_company", "inputs")
    )
    services.cycle_close_scoring(user=personas["hr"], cycle=cycle)
    after = list(
        Result.objects.filter(cycle=cycle)
        .order_by("member_id")
        .values_list("member_id", "total_milli", "grade", "rank_company", "inputs")
    )
    assert before == after


@pytest.mark.django_db
def test_the_stages_run_through_to_locked_each_audited(personas: Any) -> None:
    cycle = closed_cycle(personas)
    summaries_checked(personas, cycle)
    for action in ("submit_summaries", "hr_check"):
        cycle = services.cycle_transition(user=personas["hr"], cycle=cycle, action=action)
    with pytest.raises(PermissionRefused):
        services.cycle_verify(user=personas["hr"], cycle=cycle)
    cycle = services.cycle_verify(user=personas["leader"], cycle=cycle)
    cycle = services.cycle_publish(user=personas["hr"], cycle=cycle)
    cycle = services.cycle_lock(user=personas["hr"], cycle=cycle)
    assert cycle.state == "locked"
    actions = set(AuditEvent.objects.filter(object_type="cycles.cycle").values_list("action", flat=True))
    assert {"cycle.open", "cycle.close_scoring", "cycle.verify", "cycle.publish", "cycle.lock"} <= actions
    with pytest.raises(JixiaoError):
        services.cycle_close_scoring(user=personas["hr"], cycle=cycle)


@pytest.mark.django_db
def test_an_import_with_one_bad_row_writes_nothing_unless_asked(personas: Any) -> None:
    cycle = open_cycle(personas)
    number = personas.employees["employee"].number
    rows = [
        ["工号", "数据项", "实际值"],
        [number, "orders", "30"],
        [number, "inquiries", "abc"],
        ["X999", "orders", "1"],
    ]
    with pytest.raises(JixiaoError) as refused:
        actuals_import(user=personas["hr"], cycle=cycle, rows=rows)
    problems = refused.value.problems
    assert [(p.row, p.column) for p in problems] == [(3, "实际值"), (4, "工号")]
    assert "不是数字" in problems[0].zh and "not a number" in problems[0].en
    assert not Actual.objects.exists()
    report = actuals_import(user=personas["hr"], cycle=cycle, rows=rows, valid_rows_only=True)
    assert (report.written, report.skipped) == (1, 2)


@pytest.mark.django_db
def test_a_gbk_csv_imports_through_the_command(personas: Any, tmp_path: Any) -> None:
    cycle = open_cycle(personas)
    number = personas.employees["employee"].number
    path = tmp_path / "actuals.csv"
    path.write_bytes(f"工号,数据项,实际值\n{number},satisfaction,96.5\n".encode("gbk"))
    assert read_rows(path)[1] == [number, "satisfaction", "96.5"]
    call_command("import", "actuals", str(path), "--cycle", cycle.label)
    assert Actual.objects.get(measure_key="satisfaction").value == "96.5"
    call_command("cycle", "close", cycle.label)
    assert Result.objects.filter(cycle=cycle).count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_scoring_by_many_threads_loses_nothing(personas: Any) -> None:
    cycle = open_cycle(personas)
    members = [member_of(personas, cycle, name) for name in ("employee", "colleague")]
    errors: list[BaseException] = []

    def rate(member: Any, indicator: str, value: str) -> None:
        try:
            score_set(
                user=personas["head"],
                member=member,
                indicator_key=indicator,
                rater_kind="manager",
                value=value,
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=rate, args=(m, ind, "good"))
        for m in members
        for ind in ("teamwork", "attitude")
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [e for e in errors if not isinstance(e, Conflict)]
    assert not conflicts, conflicts
    scores = Score.objects.filter(member__cycle=cycle, rater_kind="manager")
    assert scores.count() == 4
    ids = [str(pk) for pk in scores.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(action="score.set", object_type="cycles.score", object_id__in=ids)
    assert events.count() == len(threads) - len(errors)
