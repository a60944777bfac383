"""Recheck (复核, §6): a published result recomputed from corrected inputs as a new version.

An appeal's rechecker corrects some of a result's inputs (actuals, ratings); the leader sees
the preview — the person's figures before and after, whose rank the change moves (the ripple),
each affected group's grade distribution against its quotas, and what happens to a grade the
committee moved in calibration — and confirms. ``recheck_apply`` then keeps the old figures and
inputs as a :class:`ResultVersion`, writes the recomputed ones on the result (its ``revision``
goes up by one) and re-ranks the whole cycle, under the cycle's row lock, audited once.

The recomputed figures come from ``calculation.result_row``: the code that closes scoring, on
a one-member group, so a rechecked result is what the batch gives for the corrected inputs.
Grades are absolute (thresholds, veto caps), so only the rechecked person's grade can change;
everyone's ranks may. The Actual and Score rows stay as they were entered: the corrected inputs
live on the result (and the superseded ones on its versions). This module checks no access: the
case that calls it (``cases.appeals``) does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from jixiao.access.actor import ActingUser, stored_user
from jixiao.audit.services import audit_record
from jixiao.common.errors import Conflict, JixiaoError
from jixiao.common.validators import parse_text, refuse
from jixiao.cycles.entry.values import MAX_TEXT, measure_range, measure_value_check, parse_number
from jixiao.cycles.lifecycle.locks import cycle_locked
from jixiao.cycles.lifecycle.models import RELEASED, CyclePlan
from jixiao.cycles.lifecycle.snapshot import measure_keys, rating_cell, rules
from jixiao.engine import types as engine
from jixiao.engine.batch import PersonResult
from jixiao.engine.explain import RATER_NAMES
from jixiao.engine.formula import compile_formula
from jixiao.engine.grading import check_distribution, rank_competition
from jixiao.engine.indicators import ScoringError, rubric_cell
from jixiao.engine.money import plain
from jixiao.engine.text import Text
from jixiao.workflow.services import locked

from .calculation import inputs_explain, result_row
from .models import Result, ResultVersion

MEASURE = "measure"
RATING = "rating"
# What a version keeps of the result besides its inputs (and what a recheck rewrites).
FIGURES = (
    "total_milli", "weighted_milli", "bonus_milli", "deduction_milli", "grade", "engine_grade",
    "coefficient", "rank_department", "rank_company", "vetoes", "grade_capped", "bonus_void",
    "missing", "contributions", "engine_version",
)  # fmt: skip
COMPANY = Text("全公司", "Whole company")
SOURCE_FIELD = Text("来源", "Source")
REASON_FIELD = Text("复核原因", "Reason for the recheck")


# --- corrections -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Corrections:
    """Corrected inputs of one result: measure key → value text; (indicator, rater kind) → value
    text, which replaces every rating of that kind on that indicator (several peers become one)."""

    measures: dict[str, str] = field(default_factory=dict)
    ratings: dict[tuple[str, str], str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not self.measures and not self.ratings

    def as_json(self) -> dict[str, Any]:
        return {
            "measures": dict(sorted(self.measures.items())),
            "ratings": [[ind, kind, value] for (ind, kind), value in sorted(self.ratings.items())],
        }

    @classmethod
    def from_json(cls, data: Any) -> Corrections:
        """Read ``as_json`` back; anything not of that shape is refused (400)."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise _bad_shape()
        measures, ratings = data.get("measures", {}), data.get("ratings", [])
        if not isinstance(measures, dict) or not isinstance(ratings, list):
            raise _bad_shape()
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in measures.items()):
            raise _bad_shape()
        if not all(
            isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in ratings
        ):
            raise _bad_shape()
        return cls(dict(measures), {(ind, kind): value for ind, kind, value in ratings})

    def names(self) -> dict[str, str]:
        """The corrections as form field names → values (``CorrectionField.name``)."""
        out = {f"{MEASURE}:{k}": v for k, v in self.measures.items()}
        out.update({f"{RATING}:{ind}:{kind}": v for (ind, kind), v in self.ratings.items()})
        return out


def _bad_shape() -> JixiaoError:
    return JixiaoError(zh="更正内容的格式不正确。", en="The corrections are not in the expected form.")


@dataclass(frozen=True)
class CorrectionField:
    """One editable input of a result, for the recheck form."""

    name: str  # "measure:<key>" or "rating:<indicator>:<kind>"
    label: Text  # e.g. Text("团队协作 · 上级", "Teamwork · Manager")
    current: str  # the value the result used ("" when none)
    hint: Text  # what is allowed ("0–100", "优/良/中/差", ...)


def _rater(kind: str) -> Text:
    name = RATER_NAMES.get(engine.Rater(kind), Text(kind, kind))
    return Text(name.zh, name.en.capitalize())


def _measure_label(measure: engine.Measure) -> Text:
    return Text(measure.name_zh, measure.name_en or measure.name_zh)


def _indicator_label(ind: engine.Indicator, kind: str) -> Text:
    rater = _rater(kind)
    return Text(f"{ind.name_zh} · {rater.zh}", f"{ind.name_en or ind.name_zh} · {rater.en}")


def _rating_measure(ind: engine.Indicator) -> engine.Measure:
    """A rated indicator that is not a rubric takes a number within its unit's range (as entry)."""
    kind = engine.unit_kind(ind.unit)
    return engine.Measure(ind.measure_key, ind.name_zh, ind.name_en, ind.unit, kind=kind)


def _rating_hint(ind: engine.Indicator) -> Text:
    if ind.kind is not engine.Kind.RUBRIC:
        return measure_range(_rating_measure(ind))
    low = min(lv.points for lv in ind.levels)
    high = max(lv.points for lv in ind.levels)
    zh = "/".join(lv.name_zh for lv in ind.levels)
    en = "/".join(lv.name_en or lv.key for lv in ind.levels)
    return Text(f"{zh}（或 {plain(low)}–{plain(high)} 分）", f"{en} (or {plain(low)}–{plain(high)} points)")


def _measures_read(plan: engine.Plan, wanted: set[str] | None) -> list[str]:
    """The measures the indicators ``wanted`` read (every measure of the plan when None)."""
    every = measure_keys(plan)
    if wanted is None:
        return every
    read: set[str] = set()
    for ind in plan.indicators:
        if ind.key not in wanted or ind.is_rated:
            continue
        if ind.kind is engine.Kind.DERIVED:
            read |= set(compile_formula(ind.formula, [m.key for m in plan.measures] or None).names)
        else:
            read.add(ind.measure_key)
    return [key for key in every if key in read]


def _shown_cell(cell: Any) -> str:
    if isinstance(cell, list):
        return ", ".join(str(c) for c in cell)
    return "" if cell is None else str(cell)


def correction_fields(result: Result, indicators: Iterable[str] | None = None) -> list[CorrectionField]:
    """Every input of ``result`` a recheck may correct — or only those of the ``indicators`` named
    (an appeal on some indicators): measures first, then each rated indicator's rater kinds."""
    plan, _framework = rules(result.member.snapshot)
    wanted = None if indicators is None else set(indicators)
    stored = result.inputs or {}
    measures = stored.get("measures", {})
    ratings = {(ind, kind): cell for ind, kind, cell in stored.get("ratings", [])}
    fields = [
        CorrectionField(
            f"{MEASURE}:{key}",
            _measure_label(plan.measure(key)),
            str(measures.get(key, "")),
            measure_range(plan.measure(key)),
        )
        for key in _measures_read(plan, wanted)
    ]
    for ind in plan.indicators:
        if not ind.is_rated or (wanted is not None and ind.key not in wanted):
            continue
        for rater in ind.raters:
            kind = str(rater)
            fields.append(
                CorrectionField(
                    f"{RATING}:{ind.key}:{kind}",
                    _indicator_label(ind, kind),
                    _shown_cell(ratings.get((ind.key, kind))),
                    _rating_hint(ind),
                )
            )
    return fields


def _refused(label: Text, error: JixiaoError) -> JixiaoError:
    """A value's refusal, named by the field it was typed in."""
    refusal = refuse(label, error.zh, error.en, code=error.code)
    refusal.status = error.status
    return refusal


def _rating_value(plan: engine.Plan, ind_key: str, label: Text, text: str) -> str:
    """A rating as the grid accepts it; a rubric level typed by its name is stored by its key."""
    ind = plan.indicator(ind_key)
    if ind.kind is not engine.Kind.RUBRIC:
        return _measure_value_of(_rating_measure(ind), label, text)
    number = parse_number(text)
    try:
        rubric_cell(ind, number if number is not None else text)
    except ScoringError as error:
        raise refuse(label, error.message_zh, error.message_en, code="rating_value") from error
    by_name = {lv.name_zh: lv.key for lv in ind.levels}
    return by_name.get(text, text)


def _measure_value_of(measure: engine.Measure, label: Text, text: str) -> str:
    try:
        measure_value_check(measure, text)
    except JixiaoError as error:
        raise _refused(label, error) from error
    return text


def _unknown(name: str) -> JixiaoError:
    shown = name if len(name) <= MAX_TEXT else name[:MAX_TEXT] + "…"
    return refuse(
        Text(shown, shown),
        "不是该结果可更正的数据项。",
        "not an input of this result that a recheck can correct.",
        code="unknown_field",
    )


def _checked(plan: engine.Plan, field_: CorrectionField, text: str) -> str:
    """``text`` for ``field_`` as it will be stored, or a refusal naming the field."""
    if len(text) > MAX_TEXT:
        raise refuse(
            field_.label,
            f"太长（最多 {MAX_TEXT} 个字符）；应填写 {field_.hint.zh}。",
            f"too long (at most {MAX_TEXT} characters); enter {field_.hint.en}.",
            code="too_long",
        )
    kind, _, rest = field_.name.partition(":")
    if kind == MEASURE:
        return _measure_value_of(plan.measure(rest), field_.label, text)
    ind_key, _, _rater_kind = rest.partition(":")
    return _rating_value(plan, ind_key, field_.label, text)


def corrections_parse(result: Result, data: Mapping[str, str]) -> Corrections:
    """The corrections typed in the recheck form (``CorrectionField.name`` → value). Keeps only
    values that differ from what the result used; refuses (400, naming the field) unknown names,
    non-finite or out-of-range numbers, ratings outside the indicator's scale or rubric, and
    emptying a value the result used (a recheck corrects data, it does not remove it)."""
    plan, _framework = rules(result.member.snapshot)
    fields = {f.name: f for f in correction_fields(result)}
    measures: dict[str, str] = {}
    ratings: dict[tuple[str, str], str] = {}
    for name, raw in data.items():
        field_ = fields.get(str(name))
        if field_ is None:
            raise _unknown(str(name))
        text = "" if raw is None else str(raw).strip()
        if text == field_.current:
            continue
        if not text:
            raise refuse(field_.label, "不能清空。", "cannot be emptied.", code="required")
        value = _checked(plan, field_, text)
        if value == field_.current:
            continue
        kind, _, rest = field_.name.partition(":")
        if kind == MEASURE:
            measures[rest] = value
        else:
            ind_key, _, rater_kind = rest.partition(":")
            ratings[(ind_key, rater_kind)] = value
    return Corrections(measures, ratings)


def _validated(result: Result, corrections: Corrections) -> Corrections:
    """``corrections`` checked again against the result's plan (they may come from a stored
    recommendation), refusing them when they change nothing."""
    plan, _framework = rules(result.member.snapshot)
    fields = {f.name: f for f in correction_fields(result)}
    measures: dict[str, str] = {}
    ratings: dict[tuple[str, str], str] = {}
    changes = False
    for name, raw in corrections.names().items():
        field_ = fields.get(name)
        if field_ is None:
            raise _unknown(name)
        value = _checked(plan, field_, raw.strip())
        changes = changes or value != field_.current
        kind, _, rest = name.partition(":")
        if kind == MEASURE:
            measures[rest] = value
        else:
            ind_key, _, rater_kind = rest.partition(":")
            ratings[(ind_key, rater_kind)] = value
    if not changes:
        raise JixiaoError(
            zh="更正后的数据与结果现有的数据相同，无需复核计算。",
            en="The corrected inputs are the ones the result already uses; nothing to recompute.",
            code="no_change",
        )
    return Corrections(measures, ratings)


def corrected_inputs(result: Result, corrections: Corrections) -> dict[str, Any]:
    """The result's stored inputs with the corrections applied, in the stored form."""
    stored = result.inputs or {}
    measures = dict(stored.get("measures", {}))
    measures.update(corrections.measures)
    ratings = {(ind, kind): cell for ind, kind, cell in stored.get("ratings", [])}
    for key, value in corrections.ratings.items():
        cell = rating_cell(value)
        ratings[key] = None if cell is None else str(cell)
    return {
        "measures": measures,
        "ratings": [[ind, kind, cell] for (ind, kind), cell in sorted(ratings.items())],
    }


# --- preview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What a person is graded by."""

    total_milli: int
    grade: str
    coefficient: str
    rank_department: int
    rank_company: int

    @property
    def total_display(self) -> str:
        return f"{self.total_milli // 1000}.{self.total_milli % 1000 // 10:02d}"


@dataclass(frozen=True)
class RankMove:
    """Someone else whose rank the recheck moves."""

    member_id: int
    name: str
    department: str
    department_before: int
    department_after: int
    company_before: int
    company_after: int


@dataclass(frozen=True)
class DistributionRow:
    """One group's count of one grade before and after, against its quota."""

    group: Text
    grade: str
    before: int
    after: int
    quota: str  # as shown ("≤ 2", "≥ 1"), "" when none or the group is exempt

    @property
    def moved(self) -> bool:
        return self.before != self.after


@dataclass
class RecheckPreview:
    before: Figures
    after: Figures
    ripple: list[RankMove]
    distribution: list[DistributionRow]
    calibration_note: Text | None
    person: PersonResult  # the engine's result for the corrected inputs, with its trace
    row: dict[str, Any] = field(repr=False, default_factory=dict)  # the new result row (COLUMNS)
    inputs: dict[str, Any] = field(repr=False, default_factory=dict)  # the corrected inputs
    ranks: dict[int, tuple[int, int]] = field(repr=False, default_factory=dict)  # result pk → new ranks


def _figures(row: Any) -> Figures:
    """Figures of a result row (a dict of ``COLUMNS``) or of a Result."""
    values: dict[str, Any] = row if isinstance(row, dict) else vars(row)
    return Figures(
        int(values["total_milli"]),
        str(values["grade"]),
        str(values["coefficient"]),
        int(values["rank_department"]),
        int(values["rank_company"]),
    )


@dataclass
class _Standing:
    """Every result of the cycle: pk, department, total and ranks (as columns)."""

    pks: list[int]
    departments: list[str]
    totals: list[int]
    ranks: list[tuple[int, int]]


def _standing(cycle_id: int) -> _Standing:
    rows = Result.objects.filter(cycle_id=cycle_id).order_by("pk")
    values = rows.values_list("pk", "member__department_id", "total_milli", "rank_department", "rank_company")
    out = _Standing([], [], [], [])
    for pk, department_id, total, rank_d, rank_c in values.iterator(chunk_size=5000):
        out.pks.append(pk)
        out.departments.append(str(department_id))
        out.totals.append(total)
        out.ranks.append((rank_d, rank_c))
    return out


def _reranked(standing: _Standing, pk: int, total: int) -> dict[int, tuple[int, int]]:
    """Every result's (department, company) rank once result ``pk`` has ``total``."""
    totals = [total if p == pk else t for p, t in zip(standing.pks, standing.totals, strict=True)]
    by_department = rank_competition(totals, standing.departments)
    company = rank_competition(totals)
    return {p: (d, c) for p, d, c in zip(standing.pks, by_department, company, strict=True)}


def _ripple(standing: _Standing, pk: int, ranks: dict[int, tuple[int, int]]) -> list[RankMove]:
    moved = {
        p: (before, ranks[p])
        for p, before in zip(standing.pks, standing.ranks, strict=True)
        if p != pk and before != ranks[p]
    }
    if not moved:
        return []
    people = Result.objects.filter(pk__in=list(moved)).values_list(
        "pk", "member_id", "member__employee__name", "member__department__name"
    )
    out = [
        RankMove(member_id, name, department, *_pair(moved[p]))
        for p, member_id, name, department in people.iterator(chunk_size=5000)
    ]
    return sorted(out, key=lambda m: (m.company_after, m.member_id))


def _pair(move: tuple[tuple[int, int], tuple[int, int]]) -> tuple[int, int, int, int]:
    (d0, c0), (d1, c1) = move
    return d0, d1, c0, c1


def _quota_text(framework: engine.Framework, grades: list[str]) -> dict[str, str]:
    """Each grade's quota as the calibration page shows it ("≤ 2", "≥ 1"); none when exempt."""
    checked = check_distribution(framework, grades)[0]
    if checked.exempt:
        return {}
    out: dict[str, list[str]] = {}
    for line in checked.lines:
        out.setdefault(line.grade, []).append(f"{'≤' if line.limit == 'max' else '≥'} {line.quota_count}")
    return {grade: " ".join(parts) for grade, parts in out.items()}


def _group_rows(
    group: Text, framework: engine.Framework, before: list[str], after: list[str]
) -> list[DistributionRow]:
    counts_before, counts_after = Counter(before), Counter(after)
    quota = _quota_text(framework, after)
    return [
        DistributionRow(
            group, g.key, counts_before.get(g.key, 0), counts_after.get(g.key, 0), quota.get(g.key, "")
        )
        for g in framework.grades
    ]


def _distribution(result: Result, new_grade: str) -> list[DistributionRow]:
    """The person's department and the whole company, grade by grade, before and after (grouped
    as calibration groups them: a department under its members' framework, the company under the
    framework most members are under)."""
    rows = list(
        Result.objects.filter(cycle_id=result.cycle_id).values_list(
            "pk", "member__department_id", "member__snapshot_id", "grade"
        )
    )
    department_id = result.member.department_id
    before = [g for _pk, _d, _s, g in rows]
    after = [new_grade if pk == result.pk else g for pk, _d, _s, g in rows]
    mine = [i for i, (_pk, d, _s, _g) in enumerate(rows) if d == department_id]
    own_snapshot = next(s for pk, _d, s, _g in rows if pk == result.pk)
    common = Counter(s for _pk, _d, s, _g in rows).most_common(1)[0][0]
    snapshots = {s.pk: s for s in CyclePlan.objects.filter(pk__in={own_snapshot, common})}
    department_fw = rules(snapshots[own_snapshot])[1]
    company_fw = rules(snapshots[common])[1]
    name = result.member.department.name
    return _group_rows(
        Text(name, name), department_fw, [before[i] for i in mine], [after[i] for i in mine]
    ) + _group_rows(COMPANY, company_fw, before, after)


def _calibration_note(result: Result, new_grade: str) -> Text | None:
    """What happens to a grade the committee moved in calibration (grade ≠ engine grade)."""
    engine_grade = result.engine_grade or result.grade
    if result.grade == engine_grade:
        return None
    return Text(
        f"该结果的等级曾在校准中由 {engine_grade} 调整为 {result.grade}。复核后等级按重新计算的结果"
        f"确定为 {new_grade}，校准记录作为历史保留。",
        f"Calibration moved this result's grade from {engine_grade} to {result.grade}. After the "
        f"recheck the grade is the recomputed one, {new_grade}; the calibration move is kept as history.",
    )


def recheck_preview(result: Result, corrections: Corrections) -> RecheckPreview:
    """What applying ``corrections`` to ``result`` would give; writes nothing, checks no access."""
    member = result.member
    inputs = corrected_inputs(result, corrections)
    row = result_row(result.cycle, member, inputs)
    standing = _standing(result.cycle_id)
    ranks = _reranked(standing, result.pk, row["total_milli"])
    row["rank_department"], row["rank_company"] = ranks[result.pk]
    return RecheckPreview(
        before=_figures(result),
        after=_figures(row),
        ripple=_ripple(standing, result.pk, ranks),
        distribution=_distribution(result, row["grade"]),
        calibration_note=_calibration_note(result, row["grade"]),
        person=inputs_explain(member.snapshot, member.pk, inputs),
        row=row,
        inputs=inputs,
        ranks=ranks,
    )


# --- apply -----------------------------------------------------------------------------------


def _figures_of(result: Result) -> dict[str, Any]:
    return {name: getattr(result, name) for name in FIGURES}


def _rerank_others(cycle_id: int, pk: int, ranks: dict[int, tuple[int, int]]) -> int:
    """Write every other result's new ranks; return how many changed.

    A bulk update, not one audited save per row: the recheck that moves them is audited once
    (``result.recheck``, with the number of ranks moved), and ranks follow from the totals."""
    changed = []
    for other in (
        Result.objects.filter(cycle_id=cycle_id).exclude(pk=pk).only("pk", "rank_department", "rank_company")
    ):
        new = ranks[other.pk]
        if (other.rank_department, other.rank_company) != new:
            other.rank_department, other.rank_company = new
            changed.append(other)
    Result.objects.bulk_update(changed, ["rank_department", "rank_company"], batch_size=1000)
    return len(changed)


def recheck_apply(
    *,
    user: ActingUser,
    result: Result,
    corrections: Corrections,
    reason: str,
    source: str,
    expected_revision: int | None = None,
) -> ResultVersion:
    """Recompute ``result`` from its inputs with ``corrections`` as its next revision; return the
    :class:`ResultVersion` that keeps the figures and inputs it had.

    One transaction under the cycle's row lock (rechecks in one cycle serialise: each reads the
    totals the previous one wrote): the version, the new figures, every rank of the cycle and one
    audit event ``result.recheck``. ``expected_revision`` (the revision the leader's preview was
    of) refuses with 409 when another recheck came first. Checks no access: the caller does."""
    reason = parse_text(reason, field=REASON_FIELD, required=True)
    source = parse_text(source, field=SOURCE_FIELD, max_length=64, required=True)
    with transaction.atomic():
        cycle_locked(result.cycle_id, RELEASED)
        current = Result.objects.select_related("member__snapshot", "member__department", "cycle").get(
            pk=locked(Result, result.pk).pk
        )
        if expected_revision is not None and current.revision != expected_revision:
            raise Conflict(
                zh="该结果已被另一次复核更新，请重新查看预览后再确认。",
                en="Another recheck has updated this result; review the preview again and confirm.",
            )
        checked = _validated(current, corrections)
        preview = recheck_preview(current, checked)
        version = ResultVersion.objects.create(
            result=current,
            number=current.revision,
            figures=_figures_of(current),
            inputs=current.inputs,
            reason=reason,
            source=source,
            replaced_at=timezone.now(),
            replaced_by=stored_user(user),
        )
        for name in FIGURES:
            setattr(current, name, preview.row[name])
        current.inputs, current.computed_at = preview.inputs, preview.row["computed_at"]
        current.revision += 1
        current.save()
        moved = _rerank_others(current.cycle_id, current.pk, preview.ranks)
        audit_record(
            actor=user,
            action="result.recheck",
            obj=current,
            before={**_audited(version.figures), "revision": version.number},
            after={
                **_audited(_figures_of(current)),
                "revision": current.revision,
                "corrections": checked.as_json(),
                "source": source,
                "ranks_moved": moved,
            },
            reason=reason,
        )
    return version


def _audited(figures: dict[str, Any]) -> dict[str, Any]:
    keys = ("total_milli", "grade", "engine_grade", "coefficient", "rank_department", "rank_company")
    return {k: figures[k] for k in keys}
