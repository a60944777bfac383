"""Access rules (filled by the issue-14 work that owns this subject)."""

from __future__ import annotations

from .kinds import GlobalRule, ObjectRule, ScopeRule

GLOBAL_RULES: dict[str, GlobalRule] = {}
OBJECT_RULES: dict[str, ObjectRule] = {}
SCOPE_RULES: dict[str, ScopeRule] = {}
