"""Rater analysis on examples small enough to compute by hand."""

from __future__ import annotations

from decimal import Decimal

from jixiao.engine.raters import Rating, analyse

PEOPLE = ("p1", "p2", "p3", "p4", "p5")
EVIDENCE = (60, 70, 80, 90, 100)


def _ratings(shift_b: int, evidence: bool) -> list[Rating]:
    out = []
    for person, e in zip(PEOPLE, EVIDENCE, strict=True):
        ev = Decimal(e) if evidence else None
        out.append(Rating("A", person, "d", "x", Decimal(e), Decimal(100), ev))
        out.append(Rating("B", person, "d", "x", Decimal(e + shift_b), Decimal(100), ev))
    return out


def test_without_evidence_leniency_is_the_difference_from_the_company_mean():
    # A gives 60..100, B 50..90: the company mean is 75; A's centred ratings −15..25, mean 5,
    # standard deviation 15.81, standard error 15.81 / √5 = 7.07.
    a = analyse(_ratings(-10, evidence=False))
    lenient = a.rater("A").measure("leniency")
    assert lenient.effect == Decimal("5.0") and lenient.uncertainty == Decimal("7.1") and lenient.n == 5
    assert not lenient.flagged and a.rater("B").measure("leniency").effect == Decimal("-5.0")
    assert a.company_mean == Decimal("75.0")
    # both raters spread alike: the ratio to the pooled within-rater spread is 1
    assert a.rater("A").measure("central").effect == Decimal("1.00")
    assert a.rater("A").measure("same").effect == Decimal("20.0")  # one value of five is the mode
    # each person has one other rater: nobody can tell who disagrees, no conclusion
    assert a.rater("A").measure("disagreement").n == 0 and not a.rater("A").measure("disagreement").concluded


def test_with_evidence_leniency_is_the_residual_after_the_evidence_line():
    # A rates exactly the evidence, B 20 below: the company line is rating = e − 80 (centred on
    # the mean 70), so A sits 10 above it and B 10 below, without any noise: both flagged.
    a = analyse(_ratings(-20, evidence=True))
    lenient, severe = a.rater("A").measure("leniency"), a.rater("B").measure("leniency")
    assert lenient.effect == Decimal("10.0") and lenient.uncertainty == Decimal("0.0")
    assert lenient.flagged and lenient.direction == "high"
    assert severe.flagged and severe.direction == "low" and severe.effect == Decimal("-10.0")
    against = {label.en: value for label, value in lenient.extra}
    assert against["Against the company mean"] == Decimal("10.0")
    assert a.rater("A").measure("evidence").extra[1][1] == Decimal("1.00")  # correlation with evidence


def test_four_people_are_never_enough():
    ratings = [r for r in _ratings(-20, evidence=True) if r.ratee != "p5"]
    a = analyse(ratings)
    for rater in a.raters:
        assert rater.flags == ()
        assert all(not m.concluded for m in rater.measures)
        assert rater.measure("leniency").verdict.zh == "样本不足：n=4，少于 5，不下结论。"


def test_a_rater_alone_has_nothing_to_be_compared_with():
    a = analyse([Rating("a", f"p{i}", "d", "x", Decimal(5), Decimal(10)) for i in range(6)])
    alone = a.rater("a")
    assert alone.flags == ()
    for key in ("central", "same"):
        assert not alone.measure(key).flagged
        assert alone.measure(key).verdict.zh == "没有其他评分人的离散度可供对比，不下结论。"
    assert not alone.measure("central").concluded
