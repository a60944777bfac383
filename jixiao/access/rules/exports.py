"""Access rules of the Excel downloads of lists (issue 14 item 6).

A download reads through its page's own selector, so its rows are the page's; most downloads
need no rule of their own. The staff directory is the exception: every logged-in person may
look people up, but a bulk copy of it is for those who administer the organisation (HR and
the system administrator), with a stated reason, audited."""

from __future__ import annotations

from .kinds import GlobalRule, ObjectRule, ScopeRule

GLOBAL_RULES: dict[str, GlobalRule] = {
    "org.export": lambda a: a.is_hr or a.is_admin,
}
OBJECT_RULES: dict[str, ObjectRule] = {}
SCOPE_RULES: dict[str, ScopeRule] = {}
