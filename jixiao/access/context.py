"""Template context: the navigation a user sees follows their roles (§10)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .actor import actor_for
from .models import Role
from .policy import can

# (label, url name, action that must be allowed); an entry shows only when the action is.
NAVIGATION: list[tuple[Any, str, str]] = [
    (_("工作台"), "home", "org.view"),
    (_("组织架构"), "org:departments", "org.view"),
    (_("岗位"), "org:positions", "org.view"),
    (_("员工"), "org:employees", "org.view"),
    (_("考核方案"), "plans:plans", "plan.list"),
    (_("考核周期"), "cycles:cycles", "cycle.list"),
    (_("我的薪酬"), "pay:my_pay", "pay.mine"),
    (_("薪酬结构"), "pay:structures", "pay_structure.view"),
    (_("净利润"), "pay:profits", "profit.view"),
    (_("年度奖金"), "pay:runs", "bonus_run.view"),
    (_("月度薪酬"), "pay:monthly_runs", "monthly_run.view"),
    (_("奖惩"), "pay:sanctions", "sanction.view"),
    (_("数据导入"), "org:import", "org.import"),
    (_("角色权限"), "access:roles", "roles.view"),
    (_("公正检查"), "integrity:flag_cycles", "integrity.flags"),
    (_("申诉与反馈"), "case_inbox", "case.inbox_link"),
    (_("成长与发展"), "people_hub", "training.my_rules"),
    (_("审计日志"), "integrity:audit_events", "audit.view"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "my_roles": []}
    actor = actor_for(user)
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, action in NAVIGATION
        if can(user, action)
    ]
    labels = dict(Role.choices)
    my_roles = [labels[r] for r in sorted(actor.roles) if r in labels]
    if actor.is_head:
        my_roles.append(_("部门负责人"))
    if actor.employee_id:
        my_roles.append(_("员工"))
    return {
        "nav_items": items,
        "my_roles": my_roles,
        "actor": actor,
        "can_manage_org": can(user, "org.manage"),
    }
