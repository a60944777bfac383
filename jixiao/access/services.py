"""Grant and revoke roles; audited like any other change (§8)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao.audit.services import audit_record
from jixiao.common.errors import JixiaoError

from .actor import ActingUser
from .models import Role, RoleGrant
from .policy import require


def role_grant(*, user: ActingUser, target: Any, role: str) -> RoleGrant:
    """Give ``target`` the ``role``; granting a role already held is refused."""
    require(user, "roles.manage")
    if role not in Role.values:
        raise JixiaoError(zh=f"没有角色“{role}”。", en=f"There is no role '{role}'.")
    with transaction.atomic():
        if RoleGrant.objects.filter(user=target, role=role).exists():
            raise JixiaoError(zh="该用户已拥有此角色。", en="The user already holds this role.")
        grant = RoleGrant.objects.create(user=target, role=role)
        audit_record(actor=user, action="role.grant", obj=target, after={"role": role})
    return grant


def role_revoke(*, user: ActingUser, target: Any, role: str) -> None:
    """Take ``role`` from ``target``; an administrator cannot remove their own admin role."""
    require(user, "roles.manage")
    if target.pk == user.pk and role == Role.ADMIN:
        raise JixiaoError(
            zh="不能撤销自己的系统管理员角色。", en="You cannot revoke your own administrator role."
        )
    with transaction.atomic():
        deleted, _ = RoleGrant.objects.filter(user=target, role=role).delete()
        if not deleted:
            raise JixiaoError(zh="该用户没有此角色。", en="The user does not hold this role.")
        audit_record(actor=user, action="role.revoke", obj=target, before={"role": role})


def user_create(*, user: ActingUser, username: str, password: str, roles: list[str] | None = None) -> Any:
    """Create a login (used by the demo loader and administrators), audited with its roles."""
    require(user, "roles.manage")
    with transaction.atomic():
        account = get_user_model().objects.create_user(username=username, password=password)
        audit_record(actor=user, action="user.create", obj=account, after={"username": username})
        for role in roles or []:
            RoleGrant.objects.create(user=account, role=role)
            audit_record(actor=user, action="role.grant", obj=account, after={"role": role})
    return account
