"""Load (or rebuild) the demo company through the same audited services users go through."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

from jixiao.access.actor import SYSTEM
from jixiao.access.services import user_create
from jixiao.org import services as org
from jixiao.org.models import Department, Employee, Position

from .cases import load_cases
from .company import DEMO_PASSWORD, DEPARTMENTS, DISTRICTS, GIVEN, LOGINS, STAFFING, SURNAMES
from .cycles import load_cycles
from .impact import load_impact
from .pay import load_monthly_pay, load_pay
from .people import load_people
from .plans import load_plans
from .reports import load_reports
from .story import story

SEED = 20261124
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def demo_is_loaded() -> bool:
    return Department.objects.exists()


def demo_reset() -> None:
    """Empty every table, the audit log included (deliberately, under the maintenance flag)."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_maintenance (reason) VALUES ('demo reset')")
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_maintenance WHERE reason = 'demo reset'")


@transaction.atomic
def demo_load() -> dict[str, int]:
    """Create the demo company; return how many departments, positions, employees and logins."""
    rng = random.Random(SEED)
    day = story()
    departments, positions = _organisation()
    employees = _people(rng, day.today.year, departments, positions)
    logins = _logins(employees)
    load_plans(day)
    load_pay(day)
    load_cycles(day)
    load_monthly_pay(day)
    load_cases(day)  # after the pay: an adjusted appeal re-pays a released month
    load_people(day)  # after the cases: the rules read results as the appeals left them
    load_impact(day)  # a new plan version under review, previewed on the closed months
    load_reports(day)  # last: the monthly reports count everything above
    return {
        "departments": len(departments),
        "positions": len(positions),
        "employees": sum(len(v) for v in employees.values()),
        "logins": logins,
    }


def _organisation() -> tuple[dict[str, Department], dict[str, Position]]:
    departments: dict[str, Department] = {}
    positions: dict[str, Position] = {}
    for order, spec in enumerate(DEPARTMENTS, start=1):
        data = {
            "code": spec.code,
            "name": spec.name,
            "parent": departments.get(spec.parent),
            "sort_order": order,
        }
        departments[spec.code] = org.department_save(user=SYSTEM, data=data)
        for p in spec.positions:
            position_data = {
                "code": p.code,
                "title": p.title,
                "department": departments[spec.code],
                "headcount_quota": p.quota,
                "level": p.level,
                "is_cadre": p.cadre,
                "purpose": p.purpose,
                "duties": p.duties,
            }
            positions[p.code] = org.position_save(user=SYSTEM, data=position_data)
    return departments, positions


def _people(
    rng: random.Random, year: int, departments: dict[str, Department], positions: dict[str, Position]
) -> dict[str, list[Employee]]:
    """Staff every position; the first holder of each department's level-3+ post is its head.
    Birth and hire dates are years before ``year`` (the year the demo is loaded)."""
    by_position: dict[str, list[Employee]] = {}
    used: set[str] = set()
    number = 1000
    for spec in DEPARTMENTS:
        department = departments[spec.code]
        head: Employee | None = None
        leads: list[Employee] = []
        for p in spec.positions:
            for _ in range(STAFFING[p.code]):
                number += 1
                manager = _manager_for(p.level, head, leads, rng)
                employee = org.employee_save(
                    user=SYSTEM,
                    data=_person(rng, used, (number, year), department, positions[p.code], manager),
                )
                by_position.setdefault(p.code, []).append(employee)
                if head is None:
                    head = employee
                    org.department_save(user=SYSTEM, data={"head": employee}, department=department)
                elif p.level == 2:
                    leads.append(employee)
    # The deputy and department heads report to the general manager.
    general_manager = by_position["GM-01"][0]
    for department in Department.objects.exclude(code="GM").select_related("head"):
        if department.head:
            org.employee_save(user=SYSTEM, data={"manager": general_manager}, employee=department.head)
    return by_position


def _manager_for(
    level: int, head: Employee | None, leads: list[Employee], rng: random.Random
) -> Employee | None:
    if head is None:
        return None
    if level == 1 and leads:
        return rng.choice(leads)
    return head


def _person(
    rng: random.Random,
    used: set[str],
    number_year: tuple[int, int],
    department: Department,
    position: Position,
    manager: Employee | None,
) -> dict[str, Any]:
    number, year = number_year
    name = _unique_name(rng, used)
    gender = "F" if rng.random() < 0.5 else "M"
    birth = dt.date(year + rng.randint(-54, -24), rng.randint(1, 12), rng.randint(1, 28))
    hired = dt.date(year + rng.randint(-14, -1), rng.randint(1, 12), rng.randint(1, 28))
    return {
        "number": f"E{number}",
        "name": name,
        "department": department,
        "position": position,
        "manager": manager,
        "status": "active",
        "work_phone": f"021-5888{number % 10000:04d}",
        "work_email": f"e{number}@jixiao-demo.cn",
        "hire_date": hired,
        "gender": gender,
        "birth_date": birth,
        "id_number": _id_number(birth, number, gender),
        "personal_phone": f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
        "home_address": f"上海市{rng.choice(DISTRICTS)}{rng.randint(1, 999)}弄{rng.randint(1, 40)}号",
    }


def _unique_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def _id_number(birth: dt.date, number: int, gender: str) -> str:
    sequence = number % 1000
    if (sequence % 2 == 1) != (gender == "M"):
        sequence = (sequence + 1) % 1000
    body = f"310115{birth:%Y%m%d}{sequence:03d}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _logins(employees: dict[str, list[Employee]]) -> int:
    for username, (position_code, roles) in LOGINS.items():
        account = user_create(user=SYSTEM, username=username, password=DEMO_PASSWORD, roles=roles)
        if position_code:
            org.employee_link_user(user=SYSTEM, employee=employees[position_code][0], account=account)
    return len(LOGINS)
