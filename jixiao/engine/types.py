"""Frozen dataclasses the shell maps its models into (引擎数据类型).

Conventions: money is ``int`` fen; weights, points, targets and rates are ``Decimal``;
keys are short ASCII identifiers; ``name_zh``/``name_en`` are what people read.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)


class Kind(StrEnum):
    """Indicator kinds (指标类型)."""

    RATIO = "ratio"  # 越高越好: actual / target, capped
    INVERSE_RATIO = "inverse_ratio"  # 越低越好: target / actual, capped
    BANDS = "bands"  # 分档: threshold table
    RUBRIC = "rubric"  # 等级描述: 优/良/中/差 → points
    DEDUCTION = "deduction"  # 扣分项
    BONUS = "bonus"  # 加分项, outside the weighted 100
    VETO = "veto"  # 一票否决
    DERIVED = "derived"  # 派生: a measure computed by a formula, then scored


class Rater(StrEnum):
    """Rater kinds (评分人): 自评 / 上级评分 / 互评 / 小组评分."""

    SELF = "self"
    MANAGER = "manager"
    PEER = "peer"
    COMMITTEE = "committee"


class Source(StrEnum):
    """Where an indicator's data comes from (数据来源)."""

    MANUAL = "manual"  # rated by people
    IMPORT = "import"  # Excel/CSV import
    API = "api"
    DERIVED = "derived"  # computed from other measures


class MeasureKind(StrEnum):
    """What a measure counts (数据类型), which fixes its valid range unless the plan narrows it:
    count = whole number ≥ 0; percent = 0–100; ratio, amount and duration ≥ 0; number = any.
    Every kind is bounded in magnitude (``MAGNITUDE``) so no value can overflow a calculation."""

    COUNT = "count"
    PERCENT = "percent"
    RATIO = "ratio"
    AMOUNT = "amount"
    DURATION = "duration"
    NUMBER = "number"


class MissingData(StrEnum):
    """The framework's stated policy for a person's missing measured data (缺数据规则):
    ``block`` = the cycle does not close until it is entered; ``exclude`` = the indicator is
    left out and the other weights are scaled up to 100; ``zero`` = the indicator scores 0.
    Whichever applies is stated on the person's calculation trace."""

    BLOCK = "block"
    EXCLUDE = "exclude"
    ZERO = "zero"


class ZeroRule(StrEnum):
    """What a derived indicator's plan states for a divisor of zero (除数为零时), ``on_zero``:
    ``missing`` = the value counts as missing data, so the framework's ``missing_data`` rule
    applies (what the engine does with any division by zero). A plan that wants a value instead
    writes a guard in the formula: ``if(inquiries > 0, orders / inquiries, 1)``."""

    MISSING = "missing"


class Severity(StrEnum):
    BLOCKING = "blocking"  # 阻止提交
    WARNING = "warning"  # 提醒


class BonusMode(StrEnum):
    """Annual bonus modes: ``bracket`` (全额累进) = the whole profit × the rate of the tier it
    falls in, as the source writes it; ``progressive`` (超额累进) = each slice of profit at its
    own tier's rate."""

    BRACKET = "bracket"
    PROGRESSIVE = "progressive"


MAGNITUDE = Decimal(10) ** 12  # no measure's value may exceed this in absolute value
# The valid range of each kind: (lowest, highest, whole numbers only); ``None`` = unbounded.
KIND_RANGES: dict[MeasureKind, tuple[Decimal | None, Decimal | None, bool]] = {
    MeasureKind.COUNT: (ZERO, Decimal(10) ** 9, True),
    MeasureKind.PERCENT: (ZERO, Decimal(100), False),
    MeasureKind.RATIO: (ZERO, Decimal(10) ** 6, False),
    MeasureKind.AMOUNT: (ZERO, None, False),
    MeasureKind.DURATION: (ZERO, Decimal(10) ** 9, False),
    MeasureKind.NUMBER: (None, None, False),
}
# Units that say a measure's kind when the plan does not (plans written before kinds existed).
UNIT_KINDS: dict[str, MeasureKind] = {
    **dict.fromkeys(("次", "单", "人", "家", "个", "件", "项", "条", "位"), MeasureKind.COUNT),
    **dict.fromkeys(("秒", "分钟", "小时", "天", "s", "min", "h"), MeasureKind.DURATION),
    **dict.fromkeys(("元", "万元", "yuan"), MeasureKind.AMOUNT),
}

QUANTITATIVE = frozenset({Kind.RATIO, Kind.INVERSE_RATIO, Kind.BANDS, Kind.DERIVED})
EVENT_KINDS = frozenset({Kind.DEDUCTION, Kind.BONUS, Kind.VETO})


@dataclass(frozen=True)
class Band:
    """One row of a threshold table: an actual in ``[lower, upper)`` earns ``points`` (0–100 of
    the indicator). ``None`` means unbounded on that side."""

    lower: Decimal | None
    upper: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class RubricLevel:
    """A described level (等级) of a rubric: 优/良/中/差 and its points on the 0–100 scale."""

    key: str
    name_zh: str
    points: Decimal
    name_en: str = ""
    description_zh: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class Measure:
    """A raw measure a plan receives per person (e.g. 成交单数 orders), by import, API or hand.

    ``kind`` fixes the valid range (``KIND_RANGES``); ``min``/``max`` narrow it (a satisfaction
    survey scored 1–5). Every entry, import and API value is checked against :meth:`bounds`.
    """

    key: str
    name_zh: str
    name_en: str = ""
    unit: str = ""
    source: Source = Source.IMPORT
    kind: MeasureKind = MeasureKind.NUMBER
    min: Decimal | None = None
    max: Decimal | None = None

    def bounds(self) -> tuple[Decimal, Decimal, bool]:
        """(lowest, highest, whole numbers only): the kind's range narrowed by ``min``/``max``,
        never beyond ±``MAGNITUDE``."""
        low, high, whole = KIND_RANGES[self.kind]
        low = max(x for x in (low, self.min, -MAGNITUDE) if x is not None)
        high = min(x for x in (high, self.max, MAGNITUDE) if x is not None)
        return low, high, whole


def unit_kind(unit: str, default: MeasureKind = MeasureKind.NUMBER) -> MeasureKind:
    """The kind a unit implies (``"次"`` → count), for measures that do not state one."""
    return UNIT_KINDS.get(unit.strip(), default)


@dataclass(frozen=True)
class Indicator:
    """One indicator (指标) of a plan.

    Scale: every weighted indicator earns an *achievement* on a 0–100 scale (more when its
    cap allows, e.g. ratio cap 1.2 → up to 120) and contributes ``achievement × weight / 100``
    points. Exceptions, by kind:

    - ``deduction`` with a weight: starts at ``weight`` points and loses
      ``points_per_event`` per incident, never below ``floor`` (扣完为止; ``None`` = the plan
      states no floor, scored as 0 — lint asks for it when the count can exceed the weight);
      with weight 0: subtracts ``points_per_event`` per incident from the total, at most
      ``max_points`` (and the framework's deduction cap over all deductions).
    - ``bonus``: adds ``points_per_event`` per event, at most ``max_points`` (and the
      framework's bonus cap), outside the weighted 100; weight must be 0.
    - ``veto``: any incident caps the grade at ``veto_grade`` and/or voids the bonus.
    - ``derived``: the value is ``formula`` over the plan's measures, scored as ``score_as``;
      ``on_zero`` states what a divisor of zero means (``None`` = not stated).

    ``measure`` names where the actual comes from (default: the indicator's own key).
    Indicators with ``source = manual`` are rated by ``raters``; each rater's value is scored
    and the scores combined by the framework's rater weights.
    """

    key: str
    name_zh: str
    kind: Kind
    weight: Decimal = ZERO
    category: str = ""
    name_en: str = ""
    unit: str = ""
    target: Decimal | None = None
    source: Source | None = None
    raters: tuple[Rater, ...] = ()
    evidence: str = ""
    measure: str = ""
    cap: Decimal | None = None
    floor: Decimal | None = None
    bands: tuple[Band, ...] = ()
    levels: tuple[RubricLevel, ...] = ()
    points_per_event: Decimal | None = None
    max_points: Decimal | None = None
    formula: str = ""
    score_as: Kind = Kind.RATIO
    veto_grade: str | None = None
    veto_voids_bonus: bool = False
    description_zh: str = ""
    description_en: str = ""
    direction: str = (
        ""  # "higher" (越高越好) | "lower" (越低越好) | "" unstated; lint checks bands against it
    )
    on_zero: ZeroRule | None = None

    @property
    def measure_key(self) -> str:
        return self.measure or self.key

    @property
    def is_weighted(self) -> bool:
        """Whether the indicator takes part in the weighted 100."""
        return self.kind not in (Kind.BONUS, Kind.VETO) and not (
            self.kind is Kind.DEDUCTION and self.weight == 0
        )

    @property
    def is_rated(self) -> bool:
        """Whether people rate it (manual source), rather than measured data. Event kinds
        (deduction, bonus, veto) are always counted, even when the count is entered by hand."""
        if self.kind in EVENT_KINDS:
            return False
        return self.source is Source.MANUAL or (self.kind is Kind.RUBRIC and self.source is None)

    @property
    def effective_cap(self) -> Decimal:
        return self.cap if self.cap is not None else Decimal(1)

    @property
    def effective_floor(self) -> Decimal:
        """The floor scoring uses: the stated one, else 0 (扣完为止)."""
        return self.floor if self.floor is not None else ZERO


@dataclass(frozen=True)
class Plan:
    """A department plan (考核细则) under one framework version."""

    key: str
    name_zh: str
    framework: str
    indicators: tuple[Indicator, ...]
    measures: tuple[Measure, ...] = ()
    name_en: str = ""
    department: str = ""
    positions: tuple[str, ...] = ()
    version: int = 1

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    def measure(self, key: str) -> Measure:
        """The declared measure ``key``, or the one an indicator reads without declaring it
        (an event count is a count; otherwise the unit says the kind). KeyError when none."""
        for m in self.measures:
            if m.key == key:
                return m
        for ind in self.indicators:
            if ind.measure_key == key and not ind.is_rated and ind.kind is not Kind.DERIVED:
                counted = ind.kind in EVENT_KINDS
                kind = MeasureKind.COUNT if counted else unit_kind(ind.unit)
                return Measure(key, ind.name_zh, ind.name_en, ind.unit, ind.source or Source.IMPORT, kind)
        raise KeyError(key)


@dataclass(frozen=True)
class Category:
    """An indicator category (指标类别: 业绩/能力/态度/团队) with its weight range."""

    key: str
    name_zh: str
    min_weight: Decimal = ZERO
    max_weight: Decimal = Decimal(100)
    required: bool = False
    name_en: str = ""


@dataclass(frozen=True)
class Grade:
    """A grade band (等级): a total at or above ``min_score`` earns it (best grade first).

    ``quota_max``/``quota_min`` are shares (0.20 = 20 %) for forced distribution (强制分布).
    """

    key: str
    min_score: Decimal
    coefficient: Decimal
    name_zh: str = ""
    name_en: str = ""
    quota_max: Decimal | None = None
    quota_min: Decimal | None = None


@dataclass(frozen=True)
class Framework:
    """The company framework (考核总框架) every plan must satisfy."""

    key: str
    name_zh: str
    grades: tuple[Grade, ...]
    rater_weights: tuple[tuple[Rater, Decimal], ...]
    categories: tuple[Category, ...] = ()
    name_en: str = ""
    version: int = 1
    scale_max: Decimal = Decimal(100)
    score_precision: Decimal = Decimal("0.01")
    min_indicators: int = 1
    max_indicators: int = 30
    min_indicator_weight: Decimal = ZERO
    max_indicator_weight: Decimal = Decimal(100)
    bonus_cap: Decimal | None = None
    deduction_cap: Decimal | None = None
    quota_min_group: int = 10
    quota_enforced: bool = False
    cycle_types: tuple[str, ...] = ("month", "quarter", "year")
    missing_data: MissingData = MissingData.BLOCK

    def rater_weight(self, rater: Rater) -> Decimal:
        for kind, weight in self.rater_weights:
            if kind is rater:
                return weight
        return ZERO

    def grade(self, key: str) -> Grade:
        for grade in self.grades:
            if grade.key == key:
                return grade
        raise KeyError(key)

    def category(self, key: str) -> Category | None:
        for cat in self.categories:
            if cat.key == key:
                return cat
        return None
