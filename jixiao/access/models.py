"""Roles granted to login users (§1, §10). Department heads and employees are not granted:
they follow from ``Department.head`` and ``Employee.user``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    COMMITTEE_LEADER = "committee_leader", _("考核小组组长")
    COMMITTEE_DEPUTY = "committee_deputy", _("考核小组副组长")
    COMMITTEE_MEMBER = "committee_member", _("考核小组成员")
    HR_OFFICER = "hr_officer", _("绩效考核员")
    HR_SUPERVISOR = "hr_supervisor", _("绩效考核主管")
    FINANCE = "finance", _("财务")
    AUDITOR = "auditor", _("审计员（只读）")


class RoleGrant(models.Model):
    """One role held by one user; a person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="access_rolegrant_unique")]
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
