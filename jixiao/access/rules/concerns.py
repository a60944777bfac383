"""Access to concerns (filled in by the concerns work; see the issue and SPEC §10)."""

from __future__ import annotations

from .kinds import GlobalRule, ObjectRule, ScopeRule

GLOBAL_RULES: dict[str, GlobalRule] = {}
OBJECT_RULES: dict[str, ObjectRule] = {}
SCOPE_RULES: dict[str, ScopeRule] = {}
