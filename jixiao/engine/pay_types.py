"""Pay rules the shell maps its pay plans into (薪酬数据类型): structures, the annual bonus tiers
and their bounds.

Conventions as in :mod:`jixiao.engine.types`: money is ``int`` fen, rates are ``Decimal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .types import ZERO, BonusMode

INCLUSIVE_WORDS = (
    "以上",
    "以下",
    "以内",
    "届满",
    "含",
    "及以上",
    "及以下",
    "不低于",
    "不高于",
    "至少",
    "至多",
)
EXCLUSIVE_WORDS = ("不满", "超过", "以外", "不含", "低于", "高于", "未满")


@dataclass(frozen=True)
class Bound:
    """One bound of a bonus tier, in fen, with its inclusivity stated or not.

    ``inclusive`` is True (the number itself belongs to this tier), False (it does not) or
    None (unstated, e.g. “200万--300万之间”). ``wording`` keeps the source's words.
    """

    amount: int
    inclusive: bool | None
    wording: str = ""


@dataclass(frozen=True)
class BonusRole:
    """A role sharing the annual bonus (e.g. 市场总监 ×1, 市场经理 ×2)."""

    key: str
    name_zh: str
    headcount: int = 1
    name_en: str = ""


@dataclass(frozen=True)
class BonusTier:
    """One tier (奖金档位): a profit range, each role's rate and the stated department total."""

    lower: Bound | None
    upper: Bound | None
    rates: tuple[tuple[str, Decimal], ...] = ()
    department_rate: Decimal | None = None
    source_text: str = ""

    def rate(self, role: str) -> Decimal:
        for key, rate in self.rates:
            if key == role:
                return rate
        return ZERO


@dataclass(frozen=True)
class AnnualBonusPlan:
    """An annual bonus plan (年度奖金方案) on calendar-year net profit (净利润)."""

    key: str
    name_zh: str
    roles: tuple[BonusRole, ...]
    tiers: tuple[BonusTier, ...]
    mode: BonusMode = BonusMode.BRACKET
    name_en: str = ""
    basis: str = "net_profit"


@dataclass(frozen=True)
class PayStructure:
    """Pay structure of one position (薪酬结构): amounts in fen."""

    position: str
    name_zh: str
    base_salary: int
    monthly_bonus_base: int
    travel_per_day: int
    annual_bonus_role: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class PayPlan:
    """A department's pay plan: structures per position, the monthly bonus formula and the
    annual bonus plan."""

    key: str
    name_zh: str
    structures: tuple[PayStructure, ...]
    monthly_bonus_formula: str
    annual_bonus: AnnualBonusPlan | None = None
    department: str = ""
    name_en: str = ""
    effective_from: str = ""
