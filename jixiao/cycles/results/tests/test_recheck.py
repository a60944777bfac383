"""Recheck (复核): a result recomputed from corrected inputs is what the close's batch gives for
those inputs, everyone's ranks follow, the old version is kept, hostile corrections write nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jixiao.audit.models import AuditEvent
from jixiao.common.errors import Conflict, JixiaoError
from jixiao.cycles.calibration.models import CalibrationMove
from jixiao.cycles.entry.models import Actual, Score
from jixiao.cycles.results.calculation import COLUMNS, results_compute
from jixiao.cycles.results.models import Result, ResultVersion
from jixiao.cycles.results.recheck import (
    Corrections,
    correction_fields,
    corrections_parse,
    recheck_apply,
    recheck_preview,
)
from jixiao.engine.grading import rank_competition

from .scenario import recheck_cycle, result_of

COMPARED = [c for c in COLUMNS if c not in ("computed_at", "inputs")]


def _as_batch_would(cycle: Any, result: Result, corrections: Corrections) -> None:
    """Write the corrected inputs as Actual and Score rows, as if they had been entered so."""
    member = result.member
    for key, value in corrections.measures.items():
        Actual.objects.update_or_create(member=member, measure_key=key, defaults={"value": value})
    for (indicator, kind), value in corrections.ratings.items():
        rows = Score.objects.filter(member=member, indicator_key=indicator, rater_kind=kind).order_by("pk")
        first = rows.first()
        assert first is not None
        rows.exclude(pk=first.pk).delete()
        Score.objects.filter(pk=first.pk).update(value=value)


def _batch_rows(cycle: Any) -> dict[int, dict[str, Any]]:
    out = {}
    for row in results_compute(cycle).rows:
        values = dict(zip(COLUMNS, row, strict=True))
        for name in ("vetoes", "missing", "contributions", "inputs"):
            values[name] = json.loads(values[name]) if isinstance(values[name], str) else values[name]
        out[values["member_id"]] = values
    return out


def _stored(result: Result) -> dict[str, Any]:
    return {c: getattr(result, c) for c in COMPARED}


def _inputs_equal(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert a["measures"] == b["measures"]
    assert sorted(map(tuple, a["ratings"])) == sorted(map(tuple, b["ratings"]))


@pytest.mark.django_db
def test_a_recheck_gives_what_the_batch_gives_for_the_corrected_inputs(personas: Any) -> None:
    cycle = recheck_cycle(personas)
    result = result_of(personas, cycle)
    data = {"measure:orders": "45", "measure:satisfaction": "96", "rating:teamwork:peer": "excellent"}
    corrections = corrections_parse(result, data)
    assert corrections.measures == {"orders": "45", "satisfaction": "96"}
    old_total = result.total_milli

    version = recheck_apply(
        user=personas["leader"], result=result, corrections=corrections, reason="数据有误", source="appeal:1"
    )

    result.refresh_from_db()
    assert result.revision == 2 and version.number == 1
    assert version.figures["total_milli"] == old_total != result.total_milli
    assert version.reason == "数据有误" and version.source == "appeal:1"
    assert list(result.versions.all()) == [version]
    _as_batch_would(cycle, result, corrections)
    batch = _batch_rows(cycle)
    expected = {c: batch[result.member_id][c] for c in COMPARED}
    assert _stored(result) == expected  # every figure, the ranks included
    _inputs_equal(result.inputs, batch[result.member_id]["inputs"])
    for other in Result.objects.filter(cycle=cycle):  # everyone's ranks are the batch's
        assert (other.rank_department, other.rank_company) == (
            batch[other.member_id]["rank_department"],
            batch[other.member_id]["rank_company"],
        )
    events = AuditEvent.objects.filter(action="result.recheck", object_id=str(result.pk))
    assert events.count() == 1
    assert json.loads(events.get().body)["after"]["source"] == "appeal:1"


def _assert_ranks_follow_totals(cycle: Any) -> None:
    rows = list(Result.objects.filter(cycle=cycle).order_by("pk").values_list(
        "total_milli", "member__department_id", "rank_department", "rank_company"
    ))  # fmt: skip
    totals = [r[0] for r in rows]
    assert [r[3] for r in rows] == rank_competition(totals)
    assert [r[2] for r in rows] == rank_competition(totals, [str(r[1]) for r in rows])


@pytest.mark.django_db
def test_the_preview_writes_nothing_and_shows_the_ripple_and_the_distribution(personas: Any) -> None:
    cycle = recheck_cycle(personas)
    result = result_of(personas, cycle)
    before = _stored(result)
    lowest = min(Result.objects.filter(cycle=cycle), key=lambda r: r.total_milli)
    corrections = Corrections(measures={"orders": "60", "satisfaction": "99", "response_seconds": "10"})
    preview = recheck_preview(lowest, corrections)
    result.refresh_from_db()
    assert _stored(result) == before and not ResultVersion.objects.exists()
    assert preview.after.total_milli > preview.before.total_milli
    assert preview.after.rank_company < preview.before.rank_company
    assert preview.ripple and all(m.company_after == m.company_before + 1 for m in preview.ripple)
    assert preview.person.trace is not None
    assert (
        preview.after.total_display
        == f"{preview.after.total_milli // 1000}.{preview.after.total_milli % 1000 // 10:02d}"
    )
    groups = {row.group.zh for row in preview.distribution}
    assert groups == {lowest.member.department.name, "全公司"}
    moved = [r for r in preview.distribution if r.moved]
    if preview.after.grade != preview.before.grade:
        assert {(r.grade, r.after - r.before) for r in moved} >= {
            (preview.before.grade, -1),
            (preview.after.grade, 1),
        }
    else:
        assert not moved
    assert preview.calibration_note is None


@pytest.mark.django_db
def test_ranks_of_everyone_follow_the_new_totals(personas: Any) -> None:
    cycle = recheck_cycle(personas)
    lowest = min(Result.objects.filter(cycle=cycle), key=lambda r: r.total_milli)
    lowest = Result.objects.select_related("member__snapshot", "member__department", "cycle").get(
        pk=lowest.pk
    )
    preview = recheck_preview(lowest, Corrections(measures={"orders": "60", "satisfaction": "99"}))
    recheck_apply(
        user=personas["leader"],
        result=lowest,
        corrections=Corrections(measures={"orders": "60", "satisfaction": "99"}),
        reason="漏录成交单",
        source="appeal:2",
    )
    _assert_ranks_follow_totals(cycle)
    for move in preview.ripple:
        row = Result.objects.get(member_id=move.member_id)
        assert (row.rank_department, row.rank_company) == (move.department_after, move.company_after)
    event = json.loads(AuditEvent.objects.get(action="result.recheck").body)
    assert event["after"]["ranks_moved"] == len(preview.ripple) > 0


@pytest.mark.django_db
def test_a_calibrated_grade_is_replaced_by_the_recomputed_one_and_the_move_kept(personas: Any) -> None:
    cycle = recheck_cycle(personas)
    result = result_of(personas, cycle)
    other = "A" if result.grade != "A" else "B"
    Result.objects.filter(pk=result.pk).update(grade=other)  # as calibration moved it
    CalibrationMove.objects.create(
        cycle=cycle,
        result=result,
        from_grade=result.grade,
        to_grade=other,
        reason="校准",
        moved_by=personas["leader"],
    )
    result = result_of(personas, cycle)
    corrections = Corrections(measures={"orders": "21"})
    preview = recheck_preview(result, corrections)
    assert preview.calibration_note is not None and other in preview.calibration_note.zh
    recheck_apply(
        user=personas["leader"], result=result, corrections=corrections, reason="更正", source="appeal:3"
    )
    result.refresh_from_db()
    assert result.grade == result.engine_grade == preview.after.grade
    assert result.versions.get().figures["grade"] == other
    assert CalibrationMove.objects.filter(result=result).count() == 1


@pytest.mark.django_db
def test_the_form_fields_name_every_input_and_a_stale_revision_is_refused(personas: Any) -> None:
    cycle = recheck_cycle(personas)
    result = result_of(personas, cycle)
    fields = {f.name: f for f in correction_fields(result)}
    assert fields["measure:orders"].current == result.inputs["measures"]["orders"]
    assert fields["rating:teamwork:manager"].label.zh == "团队协作 · 上级"
    assert "优" in fields["rating:teamwork:manager"].hint.zh
    some = {f.name for f in correction_fields(result, ["conversion", "teamwork"])}
    assert some == {"measure:orders", "measure:inquiries", "rating:teamwork:peer", "rating:teamwork:manager"}
    # a rubric level typed by its name is stored by its key
    assert corrections_parse(result, {"rating:attitude:self": "差"}).ratings == {("attitude", "self"): "poor"}
    recheck_apply(
        user=personas["leader"],
        result=result,
        corrections=Corrections(measures={"orders": "44"}),
        reason="r",
        source="appeal:4",
        expected_revision=1,
    )
    with pytest.raises(Conflict):
        recheck_apply(
            user=personas["leader"],
            result=result,
            corrections=Corrections(measures={"orders": "45"}),
            reason="r",
            source="appeal:5",
            expected_revision=1,
        )
    assert ResultVersion.objects.count() == 1


HOSTILE = [
    ("measure:orders", "1e30", "成交单数"),
    ("measure:orders", "nan", "成交单数"),
    ("measure:orders", "-1", "成交单数"),
    ("measure:satisfaction", "101", "客户满意度"),
    ("measure:orders", "9" * 20000, "成交单数"),
    ("rating:teamwork:manager", "great", "团队协作 · 上级"),
    ("rating:teamwork:manager", "150", "团队协作 · 上级"),
    ("rating:teamwork:manager", "nan", "团队协作 · 上级"),
    ("rating:teamwork:manager", "x" * 20000, "团队协作 · 上级"),
    ("measure:nope", "1", "measure:nope"),
    ("rating:teamwork:committee", "good", "rating:teamwork:committee"),
    ("csrfmiddlewaretoken", "abc", "csrfmiddlewaretoken"),
    ("measure:orders", "", "成交单数"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value", "named"), HOSTILE)
def test_hostile_corrections_are_refused_naming_the_field_and_write_nothing(
    personas: Any, name: str, value: str, named: str
) -> None:
    cycle = recheck_cycle(personas, extra=0)
    result = result_of(personas, cycle)
    before = _stored(result)
    with pytest.raises(JixiaoError) as refused:
        corrections_parse(result, {name: value})
    assert refused.value.status == 400
    assert named in refused.value.zh and len(refused.value.zh) < 400
    # the same value smuggled past the form (a stored recommendation) is refused by apply
    bogus = Corrections.from_json(
        {"measures": {name.split(":", 1)[-1]: value}}
        if name.startswith("measure:")
        else {"ratings": [[*name.split(":")[1:3], value]] if name.count(":") == 2 else []}
    )
    with pytest.raises(JixiaoError):
        recheck_apply(
            user=personas["leader"], result=result, corrections=bogus, reason="r", source="appeal:9"
        )
    result.refresh_from_db()
    assert _stored(result) == before
    assert not ResultVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="result.recheck").exists()


@pytest.mark.django_db
def test_apply_refuses_a_missing_reason_a_huge_reason_and_corrections_that_change_nothing(
    personas: Any,
) -> None:
    cycle = recheck_cycle(personas, extra=0)
    result = result_of(personas, cycle)
    same = Corrections(measures={"orders": result.inputs["measures"]["orders"]})
    good = Corrections(measures={"orders": "40"})
    for corrections, reason, source in (
        (good, " ", "appeal:1"),
        (good, "x" * 20000, "appeal:1"),
        (good, "r", ""),
        (same, "r", "appeal:1"),
    ):
        with pytest.raises(JixiaoError):
            recheck_apply(
                user=personas["leader"], result=result, corrections=corrections, reason=reason, source=source
            )
    with pytest.raises(JixiaoError):
        Corrections.from_json({"measures": {"orders": 1e30}})
    with pytest.raises(JixiaoError):
        Corrections.from_json([1, 2])
    assert not ResultVersion.objects.exists()
