"""``{{ user|may_manage_cycles }}``: whether to offer HR's pages (release settings) on a cycle."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.access.policy import can

register = template.Library()


@register.filter
def may_manage_cycles(user: Any) -> bool:
    return can(user, "cycle.manage")
