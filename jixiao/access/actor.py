"""Who is asking: a request user resolved once into roles, employee and headed departments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union, cast

from jixiao.org.models import Department, Employee

from .models import Role, RoleGrant

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser, User

HR_ROLES = frozenset({Role.HR_OFFICER, Role.HR_SUPERVISOR})
COMMITTEE_ROLES = frozenset({Role.COMMITTEE_LEADER, Role.COMMITTEE_DEPUTY, Role.COMMITTEE_MEMBER})


@dataclass(frozen=True)
class Actor:
    """The facts every access rule needs, loaded in two queries per request."""

    user_id: int | None
    employee_id: int | None
    department_id: int | None
    roles: frozenset[str]
    headed_department_ids: frozenset[int]  # the departments headed and every one below them
    system: bool = False  # commands and the demo loader (SYSTEM), never a person

    @property
    def is_system(self) -> bool:
        """The system itself acts: it may run every job (close, pay runs) a role could run."""
        return self.system

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def is_admin(self) -> bool:
        """A system administrator: manages accounts, roles and the organisation. Alone, the role
        reads no pay, scores or results (SPEC §10); the rules for those name ``is_system`` instead."""
        return Role.ADMIN in self.roles

    @property
    def is_hr(self) -> bool:
        return bool(self.roles & HR_ROLES)

    @property
    def is_committee(self) -> bool:
        return bool(self.roles & COMMITTEE_ROLES)

    @property
    def is_head(self) -> bool:
        return bool(self.headed_department_ids)


ANONYMOUS = Actor(None, None, None, frozenset(), frozenset())


class SystemUser:
    """The acting user for commands and the demo loader: an administrator with no login.

    Audit events by it carry no user id and the name ``system``.
    """

    pk = None
    username = "system"
    is_authenticated = True
    is_superuser = True
    is_system = True

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemUser()
SYSTEM_ACTOR = Actor(0, None, None, frozenset({Role.ADMIN}), frozenset(), system=True)


def actor_for(user: Any) -> Actor:
    """Return the :class:`Actor` for ``user``, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if getattr(user, "is_system", False):
        return SYSTEM_ACTOR
    cached: Actor | None = getattr(user, "_jixiao_actor", None)
    if cached is not None:
        return cached
    roles = set(RoleGrant.objects.filter(user_id=user.pk).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN)
    employee = Employee.objects.filter(user_id=user.pk).values("pk", "department_id").first()
    headed: frozenset[int] = frozenset()
    if employee:
        headed = _with_descendants(
            set(Department.objects.filter(head_id=employee["pk"]).values_list("pk", flat=True))
        )
    actor = Actor(
        user_id=user.pk,
        employee_id=employee["pk"] if employee else None,
        department_id=employee["department_id"] if employee else None,
        roles=frozenset(roles),
        headed_department_ids=headed,
    )
    user._jixiao_actor = actor
    return actor


def _with_descendants(roots: set[int]) -> frozenset[int]:
    """Expand department ids to include every department below them (one query, walked in memory)."""
    if not roots:
        return frozenset()
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Department.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = set(roots), list(roots)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return frozenset(found)


# The acting user every service and selector takes: a logged-in user, the anonymous user of a
# request, or SYSTEM for commands and the demo loader. Access rules resolve it to an Actor.
ActingUser = Union["AbstractBaseUser", "AnonymousUser", SystemUser]


def stored_user(user: ActingUser) -> User | None:
    """The user row to store in a ``…_by`` column: the logged-in user, or None for SYSTEM."""
    return cast("User", user) if getattr(user, "pk", None) and not getattr(user, "is_system", False) else None
