"""Rater analysis (评分者分析; the source: 杜绝徇私舞弊): pure, deterministic, no database.

Each rating is brought to one scale, the percent of the indicator's full points, and centred on
the company's mean for that indicator, so indicators with different habits compare. The unit of
evidence is the *pair* (rater, ratee): the mean centred rating one rater gave one person over the
indicators rated, so that one person's several indicators count once (they are not independent).

Five measures per rater, each with its method, its minimum sample below which nothing is
concluded, and an uncertainty figure; a flag needs BOTH a significant effect (one-sided test at
``ALPHA`` = 0.1 %, the same rule at every sample size, with the t or χ² quantile of the sample's
degrees of freedom) AND a practical size. The exact part (normalising, centring, the KPI
regression) is in fractions, so shifting every rating by a constant changes no figure; the
statistics on top are floats summed with ``math.fsum`` (exactly rounded, so order does not
matter) and rounded to Decimals for display.

- leniency: the mean residual of the rater's pairs after the company's expectation from the
  ratee's KPI evidence (the regression of centred ratings on the measured share; without evidence,
  the company mean); t test, practical size ``LENIENCY_POINTS``. Beside it: the plain difference
  from the company mean and from the department mean for the same indicators.
- central tendency: the rater's spread of centred ratings against the pooled spread within
  raters; χ² lower test, practical ratio ``CENTRAL_RATIO``. Beside it: the share of mid-scale ratings.
- everyone-the-same: the share of ratings equal to the rater's most given value for the
  indicator; flagged at ``SAME_SHARE`` or more with the spread significantly low (the χ² test above).
- distance from KPI evidence: the spread of the residuals after the KPI regression (the rater's
  own level removed) against the pooled spread; χ² upper test, practical ratio ``SPREAD_RATIO``.
  Beside it: the mean absolute gap and the correlation with the measured share.
- disagreement: the difference from the other raters of the same person (at least
  ``MIN_OTHERS`` others; their consensus weights each by the inverse of their own disagreement),
  its spread against the pooled one; χ² upper test, practical ratio ``SPREAD_RATIO``. Beside it:
  the mean absolute difference and the number of people shared.

Pooled references are taken twice: the second time without the raters the first pass flagged,
so that a few extreme raters do not widen the yardstick they are measured by.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import NormalDist

from .text import Text

ALPHA = 0.001  # one-sided significance of every test
MIN_RATEES = 5  # people a rater rated (leniency, central tendency, everyone-the-same)
MIN_EVIDENCE = 5  # people rated who have measured (KPI) results
MIN_SHARED = 5  # people rated who also have at least MIN_OTHERS other raters
MIN_OTHERS = 2
LENIENCY_POINTS = Fraction(8)  # percent of full points: smaller differences are not worth a flag
CENTRAL_RATIO = 0.6  # spread at most 60 % of the usual spread
SAME_SHARE = Fraction(4, 5)  # 80 % of ratings identical
SPREAD_RATIO = 1.5  # spread at least 1.5 times the usual one
MID_LOW, MID_HIGH = Fraction(25), Fraction(75)  # mid-scale: from 25 % to 75 % of full points
HUNDRED = Fraction(100)
KEYS = ("leniency", "central", "same", "evidence", "disagreement")


@dataclass(frozen=True)
class Rating:
    """One rating: who gave it, to whom (and their department), for which indicator, the points
    given and the indicator's top points, and the ratee's measured share (KPI evidence, percent of
    full points of their quantitative indicators) when they have one."""

    rater: str
    ratee: str
    department: str
    indicator: str
    given: Decimal
    top: Decimal
    evidence: Decimal | None = None


@dataclass(frozen=True)
class Measure:
    """One measure of one rater: the figure, its uncertainty, the sample and the verdict."""

    key: str
    name: Text
    method: Text
    n: int
    minimum: int
    effect: Decimal | None
    uncertainty: Decimal | None
    flagged: bool
    direction: str  # "high", "low" or "" (for leniency: lenient / severe)
    verdict: Text
    extra: tuple[tuple[Text, Decimal | None], ...] = ()

    @property
    def concluded(self) -> bool:
        return self.n >= self.minimum and self.effect is not None


@dataclass(frozen=True)
class RaterResult:
    rater: str
    n_ratings: int
    n_ratees: int
    mean: Decimal  # mean rating, percent of full points
    mean_se: Decimal
    measures: tuple[Measure, ...]

    @property
    def flags(self) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.flagged)

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


@dataclass(frozen=True)
class Analysis:
    raters: tuple[RaterResult, ...]
    n_ratings: int
    company_mean: Decimal
    company_se: Decimal

    def rater(self, key: str) -> RaterResult:
        return next(r for r in self.raters if r.rater == key)


@dataclass
class _Pair:
    rater: str
    ratee: str
    values: list[tuple[str, Fraction]] = field(default_factory=list)  # (indicator, percent)
    centred: Fraction = Fraction(0)  # mean of (value − company mean of the indicator)
    centred_dept: Fraction = Fraction(0)  # the same against the department's mean
    evidence: Fraction | None = None
    residual: Fraction = Fraction(0)  # centred − expectation from KPI evidence


# -- small statistics ------------------------------------------------------------------------


def _z(p: float) -> float:
    return NormalDist().inv_cdf(p)


def t_quantile(p: float, df: int) -> float:
    """Upper quantile of Student's t (Cornish–Fisher expansion, A&S 26.7.5; ≤ 1 % off for df ≥ 4)."""
    z = _z(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def chi2_quantile(p: float, df: int) -> float:
    """Quantile of χ² (Wilson–Hilferty; in the lower tail at small df it errs low: fewer flags)."""
    a = 2 / (9 * df)
    return df * max(0.0, 1 - a + _z(p) * math.sqrt(a)) ** 3


def _exact_sum(xs: Iterable[Fraction]) -> Fraction:
    """An exact sum, fast: numerators are added per denominator (centred ratings share a few)."""
    by_denominator: dict[int, int] = {}
    for x in xs:
        by_denominator[x.denominator] = by_denominator.get(x.denominator, 0) + x.numerator
    return sum((Fraction(n, d) for d, n in by_denominator.items()), Fraction(0))


def _mean(xs: Sequence[Fraction]) -> Fraction:
    return _exact_sum(xs) / len(xs)


def _ss(xs: Sequence[Fraction]) -> float:
    """Sum of squares around the mean, of exact values in floats (the same values, the same sum)."""
    fs = [float(x) for x in xs]
    m = math.fsum(fs) / len(fs)
    return math.fsum((x - m) ** 2 for x in fs)


def _dec(x: float | Fraction | None, places: str = "0.1") -> Decimal | None:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    value = Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else Decimal(repr(x))
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _num(x: Decimal | None) -> str:
    return "—" if x is None else str(x)


# -- the pairs ---------------------------------------------------------------------------------


def _pairs(ratings: Iterable[Rating]) -> tuple[list[_Pair], int, Fraction]:
    rows = []
    for r in ratings:
        if r.top <= 0:
            continue
        rows.append((r, Fraction(r.given) * HUNDRED / Fraction(r.top)))
    by_ind: dict[str, list[Fraction]] = defaultdict(list)
    by_ind_dept: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for r, v in rows:
        by_ind[r.indicator].append(v)
        by_ind_dept[(r.indicator, r.department)].append(v)
    mu = {k: _mean(v) for k, v in by_ind.items()}
    mu_d = {k: _mean(v) for k, v in by_ind_dept.items()}
    pairs: dict[tuple[str, str], _Pair] = {}
    depts: dict[tuple[str, str], str] = {}
    for r, v in sorted(rows, key=lambda rv: (rv[0].rater, rv[0].ratee, rv[0].indicator)):
        pair = pairs.setdefault((r.rater, r.ratee), _Pair(r.rater, r.ratee))
        pair.values.append((r.indicator, v))
        depts[(r.rater, r.ratee)] = r.department
        if r.evidence is not None and pair.evidence is None:
            pair.evidence = Fraction(r.evidence)
    for key, pair in pairs.items():
        pair.centred = _mean([v - mu[i] for i, v in pair.values])
        pair.centred_dept = _mean([v - mu_d[(i, depts[key])] for i, v in pair.values])
    everything = [v for _, v in rows]
    return [pairs[k] for k in sorted(pairs)], len(rows), (_mean(everything) if everything else Fraction(0))


def _fit_evidence(pairs: list[_Pair]) -> None:
    """Set each pair's residual: centred rating minus the company's expectation from the ratee's
    KPI evidence (least squares line over every pair with evidence; the mean of the others)."""
    with_e = [p for p in pairs if p.evidence is not None]
    without = [p for p in pairs if p.evidence is None]
    if with_e:
        e_mean = _mean([p.evidence for p in with_e if p.evidence is not None])
        c_mean = _mean([p.centred for p in with_e])
        sxx = _exact_sum(((p.evidence or Fraction(0)) - e_mean) ** 2 for p in with_e)
        sxy = _exact_sum(((p.evidence or Fraction(0)) - e_mean) * (p.centred - c_mean) for p in with_e)
        slope = sxy / sxx if len(with_e) >= 3 and sxx else Fraction(0)
        for p in with_e:
            p.residual = p.centred - c_mean - slope * ((p.evidence or Fraction(0)) - e_mean)
    if without:
        base = _mean([p.centred for p in without])
        for p in without:
            p.residual = p.centred - base


# -- the measures -----------------------------------------------------------------------------

NAMES = {
    "leniency": Text("宽严倾向", "Leniency / severity"),
    "central": Text("集中趋势", "Central tendency"),
    "same": Text("千篇一律", "Everyone the same"),
    "evidence": Text("偏离KPI数据", "Distance from KPI evidence"),
    "disagreement": Text("与其他评分人不一致", "Disagreement with other raters"),
}

METHODS = {
    "leniency": Text(
        "每个被评人取该评分人各指标评分（满分的百分比）减去公司同一指标平均分后的平均值，再减去公司按被评人"
        "量化指标得分率回归得到的预期（无量化数据时减公司平均），对这些残差取平均；不确定度为标准误。"
        f"残差平均的绝对值至少 {LENIENCY_POINTS} 个百分点，且超过 t 检验 {ALPHA:.1%} 单侧临界值（按样本量取）时提示。",
        "For each person rated: the rater's ratings (percent of full points) minus the company mean of the "
        "same indicator, averaged, minus the company's expectation from the person's measured (KPI) share "
        "(the company mean where there is none); the mean of these residuals, with its standard error. "
        f"Flagged when at least {LENIENCY_POINTS} points and beyond the one-sided {ALPHA:.1%} t quantile for the sample.",
    ),
    "central": Text(
        "该评分人对不同被评人评分（已按指标居中）的标准差，除以公司各评分人内部的合并标准差。"
        f"比值不超过 {CENTRAL_RATIO}，且 χ² 检验在 {ALPHA:.1%} 水平显著偏小时提示；不确定度为比值的近似标准误。",
        "The standard deviation of the rater's centred ratings across people, divided by the pooled "
        f"within-rater standard deviation of the company. Flagged at a ratio of {CENTRAL_RATIO} or less "
        f"when a χ² test finds it smaller at the {ALPHA:.1%} level; uncertainty: the ratio's approximate standard error.",
    ),
    "same": Text(
        "每个指标上与该评分人最常给的分数相同的评分所占比例（按评分数合计）。"
        f"比例达到 {float(SAME_SHARE):.0%} 以上，且评分离散度显著偏小（同集中趋势的 χ² 检验）时提示；不确定度为比例的标准误。",
        "The share of ratings equal to the value the rater gave most often for the indicator (over all "
        f"ratings). Flagged at {float(SAME_SHARE):.0%} or more when the spread is significantly small (the χ² test "
        "of central tendency); uncertainty: the share's standard error.",
    ),
    "evidence": Text(
        "评分与量化指标（KPI）结果预期之差（去掉该评分人自身的平均偏差后）的标准差，除以公司各评分人内部的合并标准差。"
        f"比值至少 {SPREAD_RATIO}，且 χ² 检验在 {ALPHA:.1%} 水平显著偏大时提示。另列平均绝对差距和与量化结果的相关系数。",
        "The standard deviation of the gap between the rating and what the person's measured (KPI) results "
        "predict (the rater's own average gap removed), divided by the pooled within-rater one. Flagged at "
        f"a ratio of {SPREAD_RATIO} or more when a χ² test finds it larger at the {ALPHA:.1%} level. "
        "Also shown: the mean absolute gap and the correlation with the measured share.",
    ),
    "disagreement": Text(
        f"对至少还有 {MIN_OTHERS} 位其他评分人的被评人，该评分人的评分减去其他评分人的加权共识（权重为各自不一致程度的倒数），"
        f"去掉平均差后的离散度与公司合并值之比。比值至少 {SPREAD_RATIO}，且 χ² 检验在 {ALPHA:.1%} 水平显著偏大时提示。"
        "另列平均绝对差和共同被评人数。",
        f"For people with at least {MIN_OTHERS} other raters: the rater's rating minus the others' consensus "
        "(each weighted by the inverse of their own disagreement); the spread of these differences (mean "
        f"difference removed) against the pooled one. Flagged at a ratio of {SPREAD_RATIO} or more when a χ² "
        f"test finds it larger at the {ALPHA:.1%} level. Also shown: the mean absolute difference and the people shared.",
    ),
}


def _short(key: str, n: int, minimum: int) -> Text:
    return Text(
        f"样本不足：n={n}，少于 {minimum}，不下结论。",
        f"Too few: n={n}, fewer than {minimum}; no conclusion.",
    )


def _no_reference() -> Text:
    return Text(
        "没有其他评分人的离散度可供对比，不下结论。",
        "No other raters' spread to compare with; no conclusion.",
    )


def _within() -> Text:
    return Text("在不确定范围之内，未提示。", "Within the uncertainty; not flagged.")


@dataclass
class _Spread:
    """One rater's spread of some figure: sum of squares (weighted, centred) and its degrees of freedom."""

    ss: float
    df: int


def _pooled(spreads: dict[str, _Spread], minimum: int, leave_out: set[str]) -> float:
    ss = math.fsum(s.ss for k, s in spreads.items() if s.df + 1 >= minimum and k not in leave_out)
    df = sum(s.df for k, s in spreads.items() if s.df + 1 >= minimum and k not in leave_out)
    return ss / df if df > 0 else 0.0


def _spread_test(s: _Spread, ref: float, minimum: int, upper: bool) -> tuple[float | None, bool]:
    """(ratio of standard deviations, significant) against the pooled variance ``ref``."""
    if s.df + 1 < minimum or ref <= 0:
        return None, False
    stat = s.ss / ref
    ratio = math.sqrt(stat / s.df)
    if upper:
        return ratio, ratio >= SPREAD_RATIO and stat > chi2_quantile(1 - ALPHA, s.df)
    return ratio, stat < chi2_quantile(ALPHA, s.df)


def _spreads_two_pass(
    spreads: dict[str, _Spread], minimum: int, upper: bool
) -> tuple[float, dict[str, tuple[float | None, bool]]]:
    ref = _pooled(spreads, minimum, set())
    first = {k: _spread_test(s, ref, minimum, upper) for k, s in spreads.items()}
    out = {
        k
        for k, (ratio, sig) in first.items()
        if sig and ratio is not None and (upper or ratio <= CENTRAL_RATIO)
    }
    ref2 = _pooled(spreads, minimum, out) or ref
    return ref2, {k: _spread_test(s, ref2, minimum, upper) for k, s in spreads.items()}


def _leniency(pairs: list[_Pair]) -> Measure:
    n = len(pairs)
    res = [p.residual for p in pairs]
    effect = _mean(res) if res else None
    se = math.sqrt((_ss(res)) / (n - 1) / n) if n >= 2 else None
    flagged, direction = False, ""
    if effect is not None and se is not None and n >= MIN_RATEES:
        beyond = abs(float(effect)) > t_quantile(1 - ALPHA, n - 1) * se
        if beyond and abs(effect) >= LENIENCY_POINTS:
            flagged, direction = True, "high" if effect > 0 else "low"
    extra = []
    for label, xs in (
        (Text("与公司平均之差", "Against the company mean"), [p.centred for p in pairs]),
        (Text("与部门平均之差", "Against the department mean"), [p.centred_dept for p in pairs]),
    ):
        extra.append((label, _dec(_mean(xs)) if xs else None))
        extra.append(
            (
                Text("其标准误", "its standard error"),
                _dec(math.sqrt((_ss(xs)) / (n - 1) / n)) if n >= 2 else None,
            )
        )
    e, u = _dec(effect), _dec(se)
    if n < MIN_RATEES:
        verdict = _short("leniency", n, MIN_RATEES)
    elif flagged and direction == "high":
        verdict = Text(
            f"偏宽：比公司预期平均高 {e} 个百分点（标准误 {u}，n={n}）。",
            f"Lenient: {e} points above the company's expectation on average (SE {u}, n={n}).",
        )
    elif flagged:
        verdict = Text(
            f"偏严：比公司预期平均低 {_dec(-effect) if effect is not None else '—'} 个百分点（标准误 {u}，n={n}）。",
            f"Severe: {_dec(-effect) if effect is not None else '—'} points below the company's expectation (SE {u}, n={n}).",
        )
    else:
        verdict = _within()
    return Measure(
        "leniency",
        NAMES["leniency"],
        METHODS["leniency"],
        n,
        MIN_RATEES,
        e,
        u,
        flagged,
        direction,
        verdict,
        tuple(extra),
    )


def _central(pairs: list[_Pair], ratio: float | None, significant: bool) -> Measure:
    n = len(pairs)
    flagged = n >= MIN_RATEES and ratio is not None and significant and ratio <= CENTRAL_RATIO
    values = [v for p in pairs for _, v in p.values]
    mid = Fraction(sum(1 for v in values if MID_LOW <= v <= MID_HIGH), len(values)) if values else None
    se = ratio / math.sqrt(2 * (n - 1)) if ratio is not None and n >= 2 else None
    r = _dec(ratio, "0.01")
    if n < MIN_RATEES:
        verdict = _short("central", n, MIN_RATEES)
    elif ratio is None:
        verdict = _no_reference()
    elif flagged:
        verdict = Text(
            f"评分过于集中：离散度只有公司通常水平的 {r} 倍（n={n}）。",
            f"Ratings bunched together: spread {r} times the company's usual one (n={n}).",
        )
    else:
        verdict = _within()
    extra = (
        (Text("中间档评分占比", "Share of mid-scale ratings"), _dec(mid * 100 if mid is not None else None)),
    )
    return Measure(
        "central",
        NAMES["central"],
        METHODS["central"],
        n,
        MIN_RATEES,
        r,
        _dec(se, "0.01"),
        flagged,
        "low" if flagged else "",
        verdict,
        extra,
    )


def _same(pairs: list[_Pair], low_spread: bool, reference: bool) -> Measure:
    n = len(pairs)
    by_ind: dict[str, list[Fraction]] = defaultdict(list)
    for p in pairs:
        for i, v in p.values:
            by_ind[i].append(v)
    modal = total = 0
    for values in by_ind.values():
        if len(values) >= 2:
            modal += max(values.count(v) for v in set(values))
            total += len(values)
    share = Fraction(modal, total) if total else None
    se = math.sqrt(float(share * (1 - share)) / total) if share is not None else None
    flagged = n >= MIN_RATEES and share is not None and share >= SAME_SHARE and low_spread
    s = _dec(share * 100 if share is not None else None)
    if n < MIN_RATEES:
        verdict = _short("same", n, MIN_RATEES)
    elif not reference and share is not None and share >= SAME_SHARE:
        verdict = _no_reference()
    elif flagged:
        verdict = Text(
            f"千篇一律：{s}% 的评分与最常给的分数相同（{total} 项评分，{n} 人）。",
            f"Everyone the same: {s}% of ratings equal the most given value ({total} ratings, {n} people).",
        )
    else:
        verdict = _within()
    return Measure(
        "same",
        NAMES["same"],
        METHODS["same"],
        n,
        MIN_RATEES,
        s,
        _dec(se * 100 if se is not None else None),
        flagged,
        "high" if flagged else "",
        verdict,
    )


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    if len(xs) < 3:
        return None
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None


def _evidence(pairs: list[_Pair], ratio: float | None, significant: bool) -> Measure:
    with_e = [p for p in pairs if p.evidence is not None]
    n = len(with_e)
    flagged = n >= MIN_EVIDENCE and significant and ratio is not None
    gap = math.fsum(abs(float(p.residual)) for p in with_e) / n if n else None
    corr = _correlation([float(p.centred) for p in with_e], [float(p.evidence or 0) for p in with_e])
    se = ratio / math.sqrt(2 * (n - 1)) if ratio is not None and n >= 2 else None
    r = _dec(ratio, "0.01")
    if n < MIN_EVIDENCE:
        verdict = _short("evidence", n, MIN_EVIDENCE)
    elif ratio is None:
        verdict = _no_reference()
    elif flagged:
        verdict = Text(
            f"与量化结果相差过大：差距的离散度是公司通常水平的 {r} 倍，平均绝对差距 {_dec(gap)} 个百分点（n={n}）。",
            f"Far from the measured results: the gap's spread is {r} times the usual one, mean absolute gap {_dec(gap)} points (n={n}).",
        )
    else:
        verdict = _within()
    extra = (
        (Text("平均绝对差距（百分点）", "Mean absolute gap (points)"), _dec(gap)),
        (Text("与量化结果的相关系数", "Correlation with the measured share"), _dec(corr, "0.01")),
    )
    return Measure(
        "evidence",
        NAMES["evidence"],
        METHODS["evidence"],
        n,
        MIN_EVIDENCE,
        r,
        _dec(se, "0.01"),
        flagged,
        "high" if flagged else "",
        verdict,
        extra,
    )


def _disagreement(
    n: int, mad: float | None, level: float | None, ratio: float | None, significant: bool
) -> Measure:
    flagged = n >= MIN_SHARED and significant and ratio is not None
    se = ratio / math.sqrt(2 * (n - 1)) if ratio is not None and n >= 2 else None
    r = _dec(ratio, "0.01")
    if n < MIN_SHARED:
        verdict = _short("disagreement", n, MIN_SHARED)
    elif ratio is None:
        verdict = _no_reference()
    elif flagged:
        verdict = Text(
            f"与其他评分人分歧大：差异的离散度是公司通常水平的 {r} 倍，平均绝对差 {_dec(mad)} 个百分点（共同被评人 {n} 人）。",
            f"Disagrees with the other raters: the differences spread {r} times the usual, mean absolute difference {_dec(mad)} points ({n} people shared).",
        )
    else:
        verdict = _within()
    extra = (
        (Text("平均绝对差（百分点）", "Mean absolute difference (points)"), _dec(mad)),
        (Text("平均差（百分点）", "Mean difference (points)"), _dec(level)),
    )
    return Measure(
        "disagreement",
        NAMES["disagreement"],
        METHODS["disagreement"],
        n,
        MIN_SHARED,
        r,
        _dec(se, "0.01"),
        flagged,
        "high" if flagged else "",
        verdict,
        extra,
    )


def _centred_spread(xs: Sequence[Fraction]) -> _Spread:
    return _Spread((_ss(xs)), len(xs) - 1) if xs else _Spread(0.0, -1)


def _weighted_spread(ds: Sequence[tuple[float, float]]) -> _Spread:
    """(difference, weight) pairs: the weighted sum of squares around the weighted mean."""
    if not ds:
        return _Spread(0.0, -1)
    w = math.fsum(x for _, x in ds)
    m = math.fsum(d * x for d, x in ds) / w
    return _Spread(math.fsum(x * (d - m) ** 2 for d, x in ds), len(ds) - 1)


def _differences(
    by_ratee: dict[str, dict[str, float]], weights: dict[str, float], floor: float
) -> dict[str, list[tuple[float, float]]]:
    """Per rater, (difference from the others' weighted consensus, 1 / its null variance)."""
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for ratee in sorted(by_ratee):
        row = by_ratee[ratee]
        for rater in sorted(row):
            others = [(o, c) for o, c in sorted(row.items()) if o != rater]
            if len(others) < MIN_OTHERS:
                continue
            ws = [weights.get(o, 1.0 / floor) for o, _ in others]
            total = math.fsum(ws)
            consensus = math.fsum(w * c for w, (_, c) in zip(ws, others, strict=True)) / total
            variance = floor + 1.0 / total
            out[rater].append((row[rater] - consensus, 1.0 / variance))
    return out


def _disagreements(
    pairs: list[_Pair],
) -> dict[str, tuple[int, float | None, float | None, float | None, bool]]:
    by_ratee: dict[str, dict[str, float]] = defaultdict(dict)
    for p in pairs:
        by_ratee[p.ratee][p.rater] = float(p.centred)
    # pass 1: equal weights with the unit variance; then each rater weighted by 1 / own variance
    first = _differences(by_ratee, {}, 1.0)
    spreads = {k: _weighted_spread(v) for k, v in first.items()}
    unit = _pooled(spreads, MIN_SHARED, set()) or 1.0
    weights = {k: 1.0 / max(s.ss / s.df, unit) for k, s in spreads.items() if s.df >= 2}
    second = _differences(by_ratee, weights, unit)
    spreads = {k: _weighted_spread(v) for k, v in second.items()}
    _, tests = _spreads_two_pass(spreads, MIN_SHARED, upper=True)
    out: dict[str, tuple[int, float | None, float | None, float | None, bool]] = {}
    for rater, ds in second.items():
        n = len(ds)
        mad = math.fsum(abs(d) for d, _ in ds) / n
        level = math.fsum(d for d, _ in ds) / n
        ratio, sig = tests[rater]
        out[rater] = (n, mad, level, ratio, sig)
    return out


def analyse(ratings: Iterable[Rating]) -> Analysis:
    """Every rater's five measures (sorted by rater key); the same ratings give the same figures."""
    pairs, n_ratings, company = _pairs(ratings)
    _fit_evidence(pairs)
    by_rater: dict[str, list[_Pair]] = defaultdict(list)
    for p in pairs:
        by_rater[p.rater].append(p)
    _, central = _spreads_two_pass(
        {k: _centred_spread([p.centred for p in ps]) for k, ps in by_rater.items()}, MIN_RATEES, upper=False
    )
    _, evidence = _spreads_two_pass(
        {
            k: _centred_spread([p.residual for p in ps if p.evidence is not None])
            for k, ps in by_rater.items()
        },
        MIN_EVIDENCE,
        upper=True,
    )
    disagree = _disagreements(pairs)
    all_values = [v for p in pairs for _, v in p.values]
    company_se = (
        math.sqrt((_ss(all_values)) / (len(all_values) - 1) / len(all_values))
        if len(all_values) >= 2
        else None
    )
    results = []
    for rater in sorted(by_rater):
        ps = by_rater[rater]
        values = [v for p in ps for _, v in p.values]
        means = [_mean([v for _, v in p.values]) for p in ps]
        mean_se = math.sqrt((_ss(means)) / (len(means) - 1) / len(means)) if len(means) >= 2 else 0.0
        c_ratio, c_sig = central[rater]
        e_ratio, e_sig = evidence[rater]
        d = disagree.get(rater, (0, None, None, None, False))
        measures = (
            _leniency(ps),
            _central(ps, c_ratio, c_sig),
            _same(ps, c_sig, c_ratio is not None),
            _evidence(ps, e_ratio, e_sig),
            _disagreement(*d),
        )
        results.append(
            RaterResult(
                rater,
                len(values),
                len(ps),
                _dec(_mean(values)) or Decimal(0),
                _dec(mean_se) or Decimal(0),
                measures,
            )
        )
    return Analysis(tuple(results), n_ratings, _dec(company) or Decimal(0), _dec(company_se) or Decimal(0))
