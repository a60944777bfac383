"""engine.analysis: the statistics of the analysis pages, by example and by property."""

from __future__ import annotations

import statistics
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jixiao.engine import analysis as a

D = Decimal


def test_summary_by_example() -> None:
    s = a.summarise_milli([80_000, 90_000, 70_500, 99_990])
    assert s.n == 4
    assert s.mean == D("85.12")  # 340.49 / 4 = 85.1225
    assert s.median == D("85.00")  # (80 + 90) / 2
    assert (s.low, s.high) == (D("70.50"), D("99.99"))
    assert s.spread == D("11.01")  # statistics.pstdev: 11.0101…
    assert a.summarise_milli([]) == a.Summary(0, None, None, None, None, None)


@given(st.lists(st.integers(min_value=0, max_value=150_000), min_size=1, max_size=60))
def test_summary_agrees_with_statistics(totals: list[int]) -> None:
    s = a.summarise_milli(totals)
    points = [D(t) / 1000 for t in totals]
    assert s.mean == a.points(statistics.mean(points) * 1000)
    assert s.median == a.points(statistics.median(points) * 1000)
    assert s.low is not None and s.high is not None and s.mean is not None
    assert s.low <= s.mean <= s.high


def test_shares_and_drift() -> None:
    size, shares = a.grade_shares(["A", "A", "A", "B", "C", "C", "C", "C", "C", "C"], ["A", "B", "C", "D"])
    assert size == 10 and shares == {"A": D("0.3"), "B": D("0.1"), "C": D("0.6"), "D": D("0")}
    lines, total = a.drift(
        {"A": 3, "B": 1, "C": 6}, 10, [("A", D("0.2"), None), ("B", None, None), ("D", None, D("0.05"))]
    )
    assert [line.beyond for line in lines] == [D("0.1"), D("0"), D("0.05")]
    assert total == D("0.15")
    assert a.share(1, 0) is None


@given(st.dictionaries(st.sampled_from("ABCD"), st.integers(min_value=0, max_value=50)))
def test_drift_is_zero_exactly_inside_the_quotas(counts: dict[str, int]) -> None:
    size = sum(counts.values())
    quotas = [("A", D("0.2"), None), ("D", None, D("0.05"))]
    lines, total = a.drift(counts, size, quotas)
    share_a = a.share(counts.get("A", 0), size) or D(0)
    share_d = a.share(counts.get("D", 0), size) or D(0)
    inside = share_a <= D("0.2") and share_d >= D("0.05")
    assert (total == 0) == inside
    assert all(line.beyond >= 0 for line in lines)


def test_kpi_attainment_and_the_flag() -> None:
    weights = {"conversion": D(30), "satisfaction": D(20), "errors": D(10)}
    # 36 of 30 (cap 1.2), 17 of 20, errors missing: (36 + 17) / 50 × 100 = 106
    assert a.kpi_attainment(
        {"conversion": 36_000, "satisfaction": 17_000, "errors": None, "teamwork": 15_000}, weights
    ) == D("106.00")
    assert a.kpi_attainment({"teamwork": 15_000}, weights) is None
    assert a.above_kpi(D("92"), D("70"), 5, gap=D(15), min_size=3)
    assert not a.above_kpi(D("92"), D("80"), 5, gap=D(15), min_size=3)
    assert not a.above_kpi(D("92"), D("70"), 2, gap=D(15), min_size=3)  # too few to conclude
    assert not a.above_kpi(None, D("70"), 5, gap=D(15), min_size=3)
