"""Sane bounds for money (decision 33): every amount a pay service stores or computes from is
finite and at most a ceiling from settings; the what-if simulator computes a bounded number of
points. Each refusal names the field, the limit and the fix, in both languages."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from jixiao.common.errors import JixiaoError
from jixiao.engine.money import format_yuan
from jixiao.engine.text import Text

MAX_SIMULATED_PROFITS = 500  # rows of the what-if table per request


def money_ceiling_fen() -> int:
    return int(settings.JIXIAO_MONEY_CEILING_YUAN) * 100


def profit_ceiling_fen() -> int:
    return int(settings.JIXIAO_PROFIT_CEILING_YUAN) * 100


def second_approval_fen() -> int:
    return int(settings.JIXIAO_SECOND_APPROVAL_YUAN) * 100


def _check(amount_fen: object, field: Text, ceiling_fen: int) -> int:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int | Decimal):
        raise JixiaoError(
            zh=f"{field.zh}应为金额（元）。",
            en=f"{field.render('en')} must be an amount in yuan.",
            code="money",
        )
    if isinstance(amount_fen, Decimal) and not amount_fen.is_finite():
        raise JixiaoError(
            zh=f"{field.zh}不是有效金额。", en=f"{field.render('en')} is not a valid amount.", code="money"
        )
    amount = Decimal(amount_fen)
    if abs(amount) > ceiling_fen:
        limit = format_yuan(ceiling_fen)
        raise JixiaoError(
            zh=f"{field.zh}超出上限：绝对值不得超过 {limit} 元，请核对金额（多输了位数？）。",
            en=f"{field.render('en')} is over the limit: at most {limit} yuan either way; "
            "check the amount (extra digits?).",
            code="money_ceiling",
        )
    return int(amount)


def money_checked(amount_fen: object, field: Text) -> int:
    """``amount_fen`` if it is a whole number of fen within the money ceiling, else refused."""
    return _check(amount_fen, field, money_ceiling_fen())


def profit_checked(amount_fen: object, field: Text) -> int:
    """``amount_fen`` if it is a whole number of fen within the profit ceiling, else refused."""
    return _check(amount_fen, field, profit_ceiling_fen())


def needs_second_approval(amount_fen: int) -> bool:
    return abs(amount_fen) > second_approval_fen()
