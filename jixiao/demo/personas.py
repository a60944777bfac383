"""Test personas: a tiny company where every access rule has someone on each side of it.

``make_personas()`` returns users by name: employee, colleague (same department), head (the
employee's own head), other_head (head of another department), hr, hrsup, leader, deputy,
member, finance, auditor, admin; plus ``anonymous`` as None. Tests call this instead of
building people by hand, so an access test is one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.access.models import Role, RoleGrant
from jixiao.org.models import Department, Employee, Position

PERSONA_NAMES = (
    "anonymous",
    "employee",
    "colleague",
    "head",
    "other_head",
    "hr",
    "hrsup",
    "leader",
    "deputy",
    "member",
    "finance",
    "auditor",
    "admin",
)
PASSWORD = "persona-pass-1"
ROLES = {
    "hr": Role.HR_OFFICER,
    "hrsup": Role.HR_SUPERVISOR,
    "leader": Role.COMMITTEE_LEADER,
    "deputy": Role.COMMITTEE_DEPUTY,
    "member": Role.COMMITTEE_MEMBER,
    "finance": Role.FINANCE,
    "auditor": Role.AUDITOR,
    "admin": Role.ADMIN,
}


@dataclass
class Personas:
    users: dict[str, Any]
    employees: dict[str, Employee]
    department: Department
    other_department: Department
    position: Position
    plans: dict[str, Any]
    cycles: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.users.get(name)


def make_personas() -> Personas:
    """Create the persona company directly (no audit events: this is test scaffolding)."""
    User = get_user_model()
    sales = Department.objects.create(code="P-SALES", name="销售部", sort_order=1)
    plant = Department.objects.create(code="P-PLANT", name="生产部", sort_order=2)
    office = Department.objects.create(code="P-OFFICE", name="综合部", sort_order=3)
    clerk = Position.objects.create(code="P-CLERK", title="销售专员", department=sales, headcount_quota=2)
    lead = Position.objects.create(
        code="P-LEAD", title="销售经理", department=sales, headcount_quota=1, level=3
    )
    users: dict[str, Any] = {"anonymous": None}
    employees: dict[str, Employee] = {}
    homes = {
        "employee": (sales, clerk),
        "colleague": (sales, clerk),
        "head": (sales, lead),
        "other_head": (plant, None),
    }
    for index, name in enumerate(PERSONA_NAMES[1:], start=1):
        user = User.objects.create_user(username=f"p_{name}", password=PASSWORD)
        users[name] = user
        department, position = homes.get(name, (office, None))
        employees[name] = Employee.objects.create(
            number=f"P{index:03d}",
            name=f"测试{name}",
            department=department,
            position=position,
            user=user,
            hire_date=dt.date(2020, 1, 1),
            id_number="11010519491231002X",
            personal_phone=f"1390000{index:04d}",
        )
        if name in ROLES:
            RoleGrant.objects.create(user=user, role=ROLES[name])
    sales.head = employees["head"]
    sales.save()
    plant.head = employees["other_head"]
    plant.save()
    for name in ("employee", "colleague"):
        employees[name].manager = employees["head"]
        employees[name].save()
    employees["worker"] = Employee.objects.create(
        number="P100",
        name="测试worker",
        department=plant,
        manager=employees["other_head"],
        hire_date=dt.date(2021, 1, 1),
    )
    personas = Personas(users, employees, sales, plant, clerk, _plans(users, sales, plant))
    personas.cycles = _cycles(personas)
    return personas


def _plans(users: dict[str, Any], sales: Department, plant: Department) -> dict[str, Any]:
    """A published framework; for the sales department a published plan and a draft, for the
    plant a published plan (so that cycles have members in two departments)."""
    from jixiao.demo.plans import _table
    from jixiao.plans.models import Framework, Plan, Status

    framework = Framework.objects.create(
        code="p-framework",
        name="测试框架",
        # The persona cycles close with only some people's data: missing data scores 0, stated.
        content={**_table("framework.toml", "framework"), "missing_data": "zero"},
        author=users["hr"],
        status=Status.PUBLISHED,
        effective_from="2026-01",
    )
    from jixiao.plans.adapters import canonical_plan_content

    content = canonical_plan_content(_table("plan_customer_service.toml", "plan"))
    published = Plan.objects.create(
        code="p-plan",
        name="销售部考核细则",
        department=sales,
        framework=framework,
        content=content,
        author=users["head"],
        status=Status.PUBLISHED,
        effective_from="2026-01",
    )
    draft = Plan.objects.create(
        code="p-draft",
        name="销售部考核细则（修订）",
        department=sales,
        framework=framework,
        content=content,
        author=users["head"],
        number=2,
    )
    from jixiao.plans.models import Revision

    Revision.objects.create(plan=published, round=1, content=content, submitted_by=users["head"])
    plant_plan = Plan.objects.create(
        code="p-plant-plan",
        name="生产部考核细则",
        department=plant,
        framework=framework,
        content=content,
        author=users["other_head"],
        status=Status.PUBLISHED,
        effective_from="2026-01",
    )
    return {"framework": framework, "published": published, "draft": draft, "plant": plant_plan}


def _cycles(personas: Personas) -> dict[str, Any]:
    """Two monthly cycles for sales and the plant, scored and closed through the real services:
    2026-08 published (employees see their own result), 2026-09 closed for scoring (they do not).

    The stages between closing and publishing (summaries, HR check, calibration, verify) have
    guards and tests of their own; the persona company only needs a published cycle, so its state
    is set directly, like the plans above (test scaffolding, no audit event).
    """
    from jixiao.cycles.entry.services import score_set
    from jixiao.cycles.lifecycle import services
    from jixiao.cycles.lifecycle.models import Cycle, CycleMember, State

    hr = personas["hr"]
    rated = {
        "employee": ("head", "excellent"),
        "colleague": ("head", "good"),
        "worker": ("other_head", "fair"),
    }
    cycles: dict[str, Any] = {}
    for label, month in (("2026-08", 8), ("2026-09", 9)):
        cycle = services.cycle_create(
            user=hr,
            label=label,
            kind="month",
            start=dt.date(2026, month, 1),
            end=dt.date(2026, month, 28),
            departments=[personas.department, personas.other_department],
            deadlines={"open": f"2026-{month + 1:02d}-05"},
        )
        cycle = services.cycle_open(user=hr, cycle=cycle)
        for name, (rater, level) in rated.items():
            member = CycleMember.objects.select_related("snapshot").get(
                cycle=cycle, employee=personas.employees[name]
            )
            for indicator in ("teamwork", "attitude"):
                score_set(
                    user=personas[rater],
                    member=member,
                    indicator_key=indicator,
                    rater_kind="manager",
                    value=level,
                )
        cycles[label] = services.cycle_close_scoring(user=hr, cycle=cycle)
    Cycle.objects.filter(pk=cycles["2026-08"].pk).update(state=State.PUBLISHED)
    cycles["2026-08"].refresh_from_db()
    return cycles
