"""Validators for Chinese identity data."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def validate_id_number(value: str) -> None:
    """Check an 18-digit resident identity number (GB 11643): shape and check digit."""
    if not value:
        return
    if not re.fullmatch(r"\d{17}[\dXx]", value):
        raise ValidationError(_("身份证号应为 18 位：17 位数字加 1 位数字或 X。"), code="id_shape")
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != value[17].upper():
        raise ValidationError(_("身份证号校验位不正确，请核对。"), code="id_check")
