from decimal import Decimal as D

from hypothesis import example, given
from hypothesis import strategies as st

from jixiao.engine.grading import (
    QuotaStatus,
    check_distribution,
    grade_batch,
    grade_for,
    quota_count,
    rank_competition,
)

from .samples import framework


def test_grade_bands_and_coefficients():
    fw = framework()
    assert [grade_for(fw, D(x)) for x in ("95", "90", "89.99", "60", "0")] == ["A", "A", "B", "C", "D"]
    cols = grade_batch(fw, [95_000, 85_000, 59_990])
    assert cols.grade == ["A", "B", "D"]
    assert cols.coefficient == [D("1.2"), D("1.0"), D("0.5")]


def test_veto_caps_the_grade_but_never_raises_it():
    cols = grade_batch(framework(), [95_000, 10_000], ["C", "C"])
    assert cols.grade == ["C", "D"]
    assert cols.capped_by_veto == [True, False]


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert rank_competition([90, 85, 85, 70]) == [1, 2, 2, 4]
    assert rank_competition([70, 90, 70], ["a", "b", "a"]) == [1, 1, 1]


@given(st.lists(st.integers(0, 100), min_size=1, max_size=30))
@example([5, 5, 5])
def test_rank_is_one_plus_the_number_strictly_ahead(values):
    ranks = rank_competition(values)
    for value, rank in zip(values, ranks, strict=True):
        assert rank == 1 + sum(v > value for v in values)


def test_forced_distribution_reports_grades_over_and_under_quota():
    fw = framework()  # A ≤ 20 %, D ≥ 5 %, groups of 10 or more
    grades = ["A"] * 4 + ["B"] * 8
    [report] = check_distribution(fw, grades)
    assert report.size == 12 and not report.exempt
    over = {(line.grade, line.limit): line for line in report.problems}
    assert over[("A", "max")].status is QuotaStatus.OVER
    assert over[("A", "max")].quota_count == 2  # 20 % × 12 = 2.4 → 2
    assert over[("A", "max")].excess == 2
    assert over[("D", "min")].status is QuotaStatus.UNDER  # 5 % × 12 = 0.6 → 1 required
    assert not report.ok


def test_small_groups_are_exempt():
    [report] = check_distribution(framework(), ["A"] * 5)
    assert report.exempt and report.ok and report.problems == ()


def test_quota_counts_round_half_up():
    assert quota_count(D("0.2"), 12) == 2
    assert quota_count(D("0.2"), 13) == 3  # 2.6
    assert quota_count(D("0.05"), 10) == 1  # 0.5 → 1
    assert quota_count(D("0.05"), 9) == 0
