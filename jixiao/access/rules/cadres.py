"""Access to 干部考核与晋升 (issue 13; filled in by its work; SPEC §10)."""

from __future__ import annotations

from .kinds import GlobalRule, ObjectRule, ScopeRule

GLOBAL_RULES: dict[str, GlobalRule] = {}
OBJECT_RULES: dict[str, ObjectRule] = {}
SCOPE_RULES: dict[str, ScopeRule] = {}
