"""Template context: the navigation a user sees follows their roles (§10).

The top bar is grouped (工作台 | 组织 ▾ | 考核 ▾ | 薪酬 ▾ | 申诉与反馈 | 成长与发展 | 报表与分析 ▾ |
系统 ▾) so that no role's bar wraps: a group shows only when at least one of its links is allowed,
a group with one allowed link is that link, and the menus are ``<details>`` (no script: the CSP
allows none inline, and a keyboard opens them with Enter or Space).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .actor import actor_for
from .models import Role
from .policy import can

# (group label, [(label, url name, action that must be allowed)]); a link shows only when its
# action is allowed (``can`` denies an unknown action) and its URL name resolves (a page still
# being built is simply left out).
NAVIGATION: list[tuple[Any, list[tuple[Any, str, str]]]] = [
    (_("工作台"), [(_("工作台"), "home", "org.view")]),
    (
        _("组织"),
        [
            (_("组织架构"), "org:departments", "org.view"),
            (_("岗位"), "org:positions", "org.view"),
            (_("员工"), "org:employees", "org.view"),
            (_("数据导入"), "org:import", "org.import"),
        ],
    ),
    (
        _("考核"),
        [
            (_("考核方案"), "plans:plans", "plan.list"),
            (_("考核周期"), "cycles:cycles", "cycle.list"),
            (_("我的考核结果"), "cycles:my_results", "result.mine"),
            (_("公正检查"), "integrity:flag_cycles", "integrity.flags"),
        ],
    ),
    (
        _("薪酬"),
        [
            (_("我的薪酬"), "pay:my_pay", "pay.mine"),
            (_("薪酬结构"), "pay:structures", "pay_structure.view"),
            (_("净利润"), "pay:profits", "profit.view"),
            (_("年度奖金"), "pay:runs", "bonus_run.view"),
            (_("月度薪酬"), "pay:monthly_runs", "monthly_run.view"),
            (_("奖惩"), "pay:sanctions", "sanction.view"),
        ],
    ),
    (_("申诉与反馈"), [(_("申诉与反馈"), "case_inbox", "case.inbox_link")]),
    (_("成长与发展"), [(_("成长与发展"), "people_hub", "training.my_rules")]),
    (
        _("报表与分析"),
        [
            (_("月报"), "monthly_reports:list", "monthly_report.list"),
            (_("统计分析"), "analysis:index", "analysis.view"),
            (_("评分者分析"), "integrity:raters", "rater.view"),
        ],
    ),
    (
        _("系统"),
        [
            (_("角色权限"), "access:roles", "roles.view"),
            (_("审计日志"), "integrity:audit_events", "audit.view"),
        ],
    ),
]


@dataclass
class NavLink:
    label: Any
    url: str
    active: bool


@dataclass
class NavGroup:
    label: Any
    links: list[NavLink] = field(default_factory=list)

    @property
    def single(self) -> NavLink | None:
        """The group's only link (then shown as a plain link under its own name, not a menu)."""
        return self.links[0] if len(self.links) == 1 else None

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation_for(user: Any, path: str) -> list[NavGroup]:
    """The groups of links ``user`` may open, in order; empty groups left out."""
    groups = []
    for label, links in NAVIGATION:
        group = NavGroup(label)
        for text, name, action in links:
            url = _url(name) if can(user, action) else None
            if url is not None:
                group.links.append(NavLink(text, url, path == url))
        if group.links:
            groups.append(group)
    return groups


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "my_roles": []}
    actor = actor_for(user)
    labels = dict(Role.choices)
    my_roles = [labels[r] for r in sorted(actor.roles) if r in labels]
    if actor.is_head:
        my_roles.append(_("部门负责人"))
    if actor.employee_id:
        my_roles.append(_("员工"))
    return {
        "nav_groups": navigation_for(user, request.path),
        "my_roles": my_roles,
        "actor": actor,
        "can_manage_org": can(user, "org.manage"),
    }
