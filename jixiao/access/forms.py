"""The role administration form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class RoleForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
