"""Forms for HR's organisation pages: field types only; rules across fields live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Employee, Position
from .services import EMPLOYEE_FIELDS


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """Carries the record's version so a save can detect that someone else saved first."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields the service saves (the version travels separately)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class DepartmentForm(VersionedForm):
    class Meta:
        model = Department
        fields = ["code", "name", "parent", "head", "sort_order"]


class PositionForm(VersionedForm):
    duties_text = forms.CharField(
        label=_("岗位职责（每行一条）"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    class Meta:
        model = Position
        fields = ["code", "title", "department", "headcount_quota", "level", "is_cadre", "purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}

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
    class Meta:
        model = Employee
        fields = list(EMPLOYEE_FIELDS)
        widgets = {
            "hire_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或工号"), required=False)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.all(), required=False)
    position = forms.ModelChoiceField(
        label=_("岗位"), queryset=Position.objects.select_related("department"), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *list(Employee.Status.choices)], required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
