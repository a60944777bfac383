"""Access to 干部考核与晋升 (issue 13; SPEC §10): cadre eligibility, nominations, the committee's
evaluation, the leader's approval, potential ratings and the nine-box grid; and who records a
position change (任职记录)."""

from __future__ import annotations

from ..models import Role
from .kinds import GlobalRule, ObjectRule, ScopeRule

GLOBAL_RULES: dict[str, GlobalRule] = {
    # HR records a change of post by hand; the committee leader's approval of a promotion records one.
    "position_change.record": lambda a: a.is_hr or a.is_admin or a.has(Role.COMMITTEE_LEADER),
}
OBJECT_RULES: dict[str, ObjectRule] = {}
SCOPE_RULES: dict[str, ScopeRule] = {}
