"""The three kinds of access rule every subject module defines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from ..actor import Actor

GlobalRule = Callable[[Actor], bool]  # an action about the whole system
ObjectRule = Callable[[Actor, Any], bool]  # an action on one row
ScopeRule = Callable[[Actor, QuerySet[Any]], QuerySet[Any]]  # the same action on a queryset
