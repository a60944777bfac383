"""The one set of input parsers: every value a person types or uploads goes through one of these.

One parser per kind of value — money, count, percent, ratio, score, profit, date, cycle label,
text, integer id (and the resident identity number). Each takes text (or a number), refuses
anything not finite, out of its field's range, or too long with a :class:`JixiaoError` naming the
field and the allowed range in both languages, and returns an exact ``int`` / ``Decimal`` /
``date`` / ``str`` — never a float. Forms use the fields built on them (:mod:`.fields`); services
and importers call them directly.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jixiao.engine.text import Text

from .errors import JixiaoError, Problem

Field = Text | str

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# A plain decimal number: no exponent, no nan/inf, no hex, at most 18 digits before the point.
_NUMBER = re.compile(r"[+-]?([0-9]{1,18}(\.[0-9]{0,12})?|\.[0-9]{1,12})")
_MONEY = re.compile(r"[+-]?([0-9]{1,18}(\.[0-9]{0,8})?|\.[0-9]{1,8})(万|亿)?")
_MAX_NUMBER_TEXT = 64
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
MAX_COUNT = 10**9
MAX_RATIO = Decimal(10_000)
MAX_SCORE = Decimal(1_000)
MAX_ID = 2**63 - 1
TEXT_LENGTH = 2_000


def _names(field: Field) -> tuple[str, str]:
    if isinstance(field, Text):
        return field.zh, field.en
    return str(field), str(field)


def refuse(field: Field, zh: str, en: str, *, code: str = "invalid") -> JixiaoError:
    """The refusal of one field's value, naming the field and saying what is allowed."""
    name_zh, name_en = _names(field)
    return JixiaoError(
        zh=f"“{name_zh}”：{zh}",
        en=f"{name_en}: {en}",
        code=code,
        problems=[Problem(zh=zh, en=en, where=name_zh)],
    )


def _text_of(value: object) -> str:
    text = "" if value is None else str(value)
    return text.strip().replace(",", "").replace("，", "").replace("％", "%").replace(" ", "")


def parse_decimal(
    value: object, *, field: Field, minimum: Decimal | int, maximum: Decimal | int, places: int = 6
) -> Decimal:
    """A finite plain decimal in ``[minimum, maximum]`` with at most ``places`` decimals."""
    text = _text_of(value)
    low, high = Decimal(minimum), Decimal(maximum)
    span_zh, span_en = f"应为 {low} 到 {high} 之间的数字", f"enter a number from {low} to {high}"
    if len(text) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        raise refuse(field, f"不是数字，{span_zh}。", f"not a number; {span_en}.", code="not_a_number")
    number = Decimal(text)
    if not low <= number <= high:
        raise refuse(field, f"超出范围，{span_zh}。", f"out of range; {span_en}.", code="out_of_range")
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise refuse(
            field, f"最多 {places} 位小数。", f"at most {places} decimal places.", code="too_precise"
        )
    return number


def parse_int(value: object, *, field: Field, minimum: int, maximum: int) -> int:
    """A whole number in ``[minimum, maximum]`` (``"3"``, ``"3.0"``; not ``"3.5"``, ``"1e3"``)."""
    number = parse_decimal(value, field=field, minimum=minimum, maximum=maximum, places=12)
    if number != number.to_integral_value():
        raise refuse(
            field,
            f"应为整数（{minimum} 到 {maximum}）。",
            f"enter a whole number from {minimum} to {maximum}.",
            code="not_whole",
        )
    return int(number)


def parse_count(value: object, *, field: Field, maximum: int = MAX_COUNT) -> int:
    """A count of things: a whole number from 0 to ``maximum``."""
    return parse_int(value, field=field, minimum=0, maximum=maximum)


def parse_percent(value: object, *, field: Field) -> Decimal:
    """A percentage from 0 to 100 (``"95"`` or ``"95%"`` → ``Decimal("95")``)."""
    return parse_decimal(_text_of(value).removesuffix("%"), field=field, minimum=0, maximum=100, places=4)


def parse_ratio(value: object, *, field: Field, maximum: Decimal | int = MAX_RATIO) -> Decimal:
    """A ratio or measured amount that cannot be negative (``≥ 0``), bounded by ``maximum``."""
    return parse_decimal(value, field=field, minimum=0, maximum=maximum, places=6)


def parse_score(
    value: object, *, field: Field, minimum: Decimal | int = 0, maximum: Decimal | int = MAX_SCORE
) -> Decimal:
    """A score given by a rater or stated in a plan: from ``minimum`` to ``maximum``."""
    return parse_decimal(value, field=field, minimum=minimum, maximum=maximum, places=4)


def money_ceiling_yuan() -> int:
    """The largest single amount of money accepted (元), ``JIXIAO_MONEY_CEILING_YUAN``."""
    return int(getattr(settings, "JIXIAO_MONEY_CEILING_YUAN", 100_000_000))


def profit_ceiling_yuan() -> int:
    """The largest net profit accepted (元, either sign), ``JIXIAO_PROFIT_CEILING_YUAN``."""
    return int(getattr(settings, "JIXIAO_PROFIT_CEILING_YUAN", 10**12))


def parse_money(
    value: object, *, field: Field, ceiling_yuan: int | None = None, negative: bool = False
) -> int:
    """An amount typed in yuan (``4000``, ``1,000.50``, ``300万``) as exact fen, at most the
    ceiling (元) in size; negative amounts only where ``negative`` (an adjustment taken back)."""
    from jixiao.engine.money import parse_yuan

    ceiling = money_ceiling_yuan() if ceiling_yuan is None else ceiling_yuan
    low = -ceiling if negative else 0
    span_zh, span_en = (
        f"应为 {low} 到 {ceiling} 元之间的金额",
        f"enter an amount from {low} to {ceiling} yuan",
    )
    text = _text_of(value).removesuffix("元")
    if len(text) > _MAX_NUMBER_TEXT or not _MONEY.fullmatch(text):
        example_zh, example_en = "例如 4000、1,000.50 或 300万", "e.g. 4000, 1,000.50 or 300万"
        raise refuse(
            field,
            f"不是金额，{span_zh}，{example_zh}。",
            f"not an amount; {span_en}, {example_en}.",
            code="not_money",
        )
    try:
        fen = parse_yuan(text)
    except ValueError:
        raise refuse(
            field, "金额最多精确到分（两位小数）。", "an amount has at most two decimals (fen)."
        ) from None
    if not low * 100 <= fen <= ceiling * 100:
        raise refuse(field, f"超出范围，{span_zh}。", f"out of range; {span_en}.", code="out_of_range")
    return fen


def parse_profit(value: object, *, field: Field) -> int:
    """A net profit in yuan as exact fen, of either sign, at most the profit ceiling in size."""
    return parse_money(value, field=field, ceiling_yuan=profit_ceiling_yuan(), negative=True)


def parse_date(
    value: object, *, field: Field, first: dt.date = FIRST_DATE, last: dt.date = LAST_DATE
) -> dt.date:
    """A date ``YYYY-MM-DD`` between ``first`` and ``last`` (2000–2100 by default)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    day = value if isinstance(value, dt.date) else _iso_date(str(value or "").strip())
    if day is None:
        raise refuse(field, "日期格式应为 2026-10-31。", "enter a date as 2026-10-31.", code="not_a_date")
    if not first <= day <= last:
        raise refuse(
            field,
            f"日期应在 {first} 到 {last} 之间。",
            f"the date must be from {first} to {last}.",
            code="out_of_range",
        )
    return day


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) <= 10 else None
    except ValueError:
        return None


_CYCLE = re.compile(r"(?P<year>[0-9]{4})(-(?P<month>0[1-9]|1[0-2])|-Q(?P<quarter>[1-4]))?")


def parse_cycle_label(value: object, *, field: Field, kind: str | None = None) -> str:
    """A cycle label: ``2026-10`` (month), ``2026-Q4`` (quarter) or ``2026`` (year), 2000–2100;
    when ``kind`` is given, the label must be of that kind."""
    text = str(value or "").strip().upper()
    match = _CYCLE.fullmatch(text) if len(text) <= 7 else None
    if match is None or not FIRST_DATE.year <= int(match["year"]) <= LAST_DATE.year:
        raise refuse(
            field,
            "周期应写作 2026-10（月度）、2026-Q4（季度）或 2026（年度），年份在 2000 到 2100 之间。",
            "write the cycle as 2026-10 (month), 2026-Q4 (quarter) or 2026 (year), from 2000 to 2100.",
            code="not_a_cycle",
        )
    found = "month" if match["month"] else "quarter" if match["quarter"] else "year"
    if kind is not None and kind != found:
        examples = {"month": "2026-10", "quarter": "2026-Q4", "year": "2026"}
        example = examples.get(kind, "2026-10")
        raise refuse(
            field,
            f"周期类型不符，应写作 {example} 这样。",
            f"wrong kind of cycle; write it as {example}.",
            code="wrong_cycle_kind",
        )
    return text


def parse_text(value: object, *, field: Field, max_length: int = TEXT_LENGTH, required: bool = False) -> str:
    """Text, stripped, at most ``max_length`` characters (and not empty when ``required``)."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise refuse(field, "必填。", "required.", code="required")
    if len(text) > max_length:
        raise refuse(
            field,
            f"最多 {max_length} 个字（现在 {len(text)} 个）。",
            f"at most {max_length} characters (now {len(text)}).",
            code="too_long",
        )
    return text


def parse_id(value: object, *, field: Field) -> int:
    """A record's id: a whole number from 1 up (as the database stores it)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19 or not 1 <= int(text) <= MAX_ID:
        raise refuse(field, "不是有效的编号。", "not a valid id.", code="not_an_id")
    return int(text)


def whole_number(text: object, default: int | None = None) -> int | None:
    """A small whole number sent by a page (a version, a count it saw): ASCII digits only, at
    most 18 of them, else ``default`` — never ``int("²")`` or a 30-digit number for the database."""
    value = "" if text is None else str(text).strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else default


def validate_id_number(value: str) -> None:
    """Check an 18-digit resident identity number (GB 11643): shape and check digit."""
    if not value:
        return
    if not re.fullmatch(r"\d{17}[\dXx]", value):
        raise ValidationError(_("身份证号应为 18 位：17 位数字加 1 位数字或 X。"), code="id_shape")
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != value[17].upper():
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="id_check")


def safe_decimal(value: object) -> Decimal | None:
    """``Decimal(value)`` when it is a finite plain number, else ``None`` (for lenient reads)."""
    text = _text_of(value)
    if len(text) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None
