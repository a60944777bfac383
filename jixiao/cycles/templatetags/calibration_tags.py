"""``{{ user|may_calibrate:cycle }}``: whether to offer the calibration page (校准) on a cycle."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.access.policy import can
from jixiao.cycles import calibration

register = template.Library()


@register.filter
def may_calibrate(user: Any, cycle: Any) -> bool:
    return can(user, "calibration.view", cycle)


@register.simple_tag
def calibration_notice(result: Any) -> Any:
    """``{% calibration_notice result as move %}``: the move that changed the grade, or None."""
    return calibration.calibration_notice(result)
