"""Forms for HR's organisation pages: field types only; rules across fields live in services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, CountField, SaneDateField, VersionField

from .models import Department, Employee, Position
from .services import EMPLOYEE_FIELDS


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Carries the record's version so a save can detect that someone else saved first."""

    version = VersionField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields the service saves (the version travels separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DepartmentForm(VersionedForm):
    sort_order = CountField(label=_("排序"), maximum=100_000, initial=0)

    class Meta:
        model = Department
        fields = ["code", "name", "parent", "head", "sort_order"]


class PositionForm(VersionedForm):
    duties_text = BoundedTextField(label=_("岗位职责（每行一条）"), max_length=10_000, rows=6, required=False)
    headcount_quota = CountField(label=_("编制"), maximum=100_000, initial=1)
    purpose = BoundedTextField(label=_("目的"), required=False, rows=2)

    class Meta:
        model = Position
        fields = ["code", "title", "department", "headcount_quota", "level", "is_cadre", "purpose"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["duties_text"].initial = "\n".join(self.instance.duties)

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"version", "duties_text"}}
        data["duties"] = [
            line.strip() for line in self.cleaned_data["duties_text"].splitlines() if line.strip()
        ]
        return data


class EmployeeForm(VersionedForm):
    hire_date = SaneDateField(label=_("入职日期"), required=False, first=dt.date(1950, 1, 1))
    birth_date = SaneDateField(label=_("出生日期"), required=False, first=dt.date(1900, 1, 1))

    class Meta:
        model = Employee
        fields = list(EMPLOYEE_FIELDS)


class EmployeeFilterForm(forms.Form):
    q = BoundedCharField(label=_("姓名或工号"), max_length=100, required=False)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all(), required=False)
    position = forms.ModelChoiceField(
        label=_("岗位"), queryset=Position.objects.select_related("department"), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *list(Employee.Status.choices)], required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
