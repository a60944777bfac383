"""Django form fields built on :mod:`jixiao.common.validators`: every form field in the project
is one of these (or a choice/model/file/boolean field, which parse against a fixed set).

A refused value becomes the form error under the field, in the request's language, saying what
is allowed; the page re-renders with the user's input kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms

from . import validators
from .errors import JixiaoError
from .text import Text, say


def _label(field: forms.Field) -> validators.Field:
    return str(field.label) if field.label else ""


class _ParsedField(forms.CharField):
    """A text input whose value is parsed by one validator (``parse``) into an exact value."""

    parse: Callable[..., Any]
    input_length = 64

    def __init__(self, *, parse_options: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", self.input_length)
        super().__init__(**kwargs)
        self.parse_options = parse_options or {}

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return type(self).parse(text, field=_label(self), **self.parse_options)
        except JixiaoError as error:
            problem = error.problems[0].message if error.problems else error.message
            raise forms.ValidationError(say(problem), code=error.code) from None

    def run_validators(self, value: Any) -> None:
        """The parser did the checking; CharField's length validators expect text."""
        return


class MoneyField(_ParsedField):
    """An amount in yuan (``4000``, ``1,000.50``, ``300万``) cleaned to exact fen (int), at most
    the money ceiling; pass ``negative=True`` where an amount may be taken back."""

    parse = staticmethod(validators.parse_money)

    def __init__(self, *, negative: bool = False, ceiling_yuan: int | None = None, **kwargs: Any):
        super().__init__(parse_options={"negative": negative, "ceiling_yuan": ceiling_yuan}, **kwargs)


class ProfitField(_ParsedField):
    """A net profit in yuan, either sign, cleaned to fen, at most the profit ceiling in size."""

    parse = staticmethod(validators.parse_profit)


class CountField(_ParsedField):
    """A whole number from 0 (or ``minimum``) to ``maximum`` (int)."""

    parse = staticmethod(validators.parse_int)

    def __init__(self, *, minimum: int = 0, maximum: int = validators.MAX_COUNT, **kwargs: Any):
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": minimum, "max": maximum, "step": 1}))
        super().__init__(parse_options={"minimum": minimum, "maximum": maximum}, **kwargs)


class DecimalRangeField(_ParsedField):
    """A plain decimal number in ``[minimum, maximum]`` (Decimal)."""

    parse = staticmethod(validators.parse_decimal)

    def __init__(
        self, *, minimum: Decimal | int, maximum: Decimal | int, places: int = 6, **kwargs: Any
    ) -> None:
        options = {"minimum": minimum, "maximum": maximum, "places": places}
        super().__init__(parse_options=options, **kwargs)


class PercentField(_ParsedField):
    """A percentage from 0 to 100 (``95`` or ``95%`` → ``Decimal("95")``)."""

    parse = staticmethod(validators.parse_percent)


class RatioField(_ParsedField):
    """A number that cannot be negative, bounded (Decimal)."""

    parse = staticmethod(validators.parse_ratio)


class ScoreField(_ParsedField):
    """A score from 0 to 1000 (Decimal)."""

    parse = staticmethod(validators.parse_score)


class IdField(_ParsedField):
    """A record id (int ≥ 1), e.g. a hidden field naming a row."""

    parse = staticmethod(validators.parse_id)


class CycleLabelField(_ParsedField):
    """A cycle label: ``2026-10``, ``2026-Q4`` or ``2026``."""

    parse = staticmethod(validators.parse_cycle_label)
    input_length = 7


class SaneDateField(forms.DateField):
    """A date between 2000-01-01 and 2100-12-31."""

    def __init__(
        self, *, first: dt.date = validators.FIRST_DATE, last: dt.date = validators.LAST_DATE, **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.first, self.last = first, last

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str) and len(value) > 32:
            raise forms.ValidationError(say(Text("日期格式应为 2026-10-31。", "Enter a date as 2026-10-31.")))
        day = super().to_python(value)
        if day is None:
            return None
        try:
            return validators.parse_date(day, field=_label(self), first=self.first, last=self.last)
        except JixiaoError as error:
            raise forms.ValidationError(say(error.problems[0].message), code=error.code) from None


class VersionField(forms.IntegerField):
    """The version of a record the user saw (hidden): a whole number from 0."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


class BoundedCharField(forms.CharField):
    """Text, stripped, with a length limit always set (``max_length`` defaults to 200)."""

    def __init__(self, *, max_length: int = 200, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)


class BoundedTextField(forms.CharField):
    """Longer text in a textarea, with a length limit always set (default 2000 characters)."""

    def __init__(self, *, max_length: int = validators.TEXT_LENGTH, rows: int = 3, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)
