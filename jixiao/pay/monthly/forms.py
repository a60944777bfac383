"""Monthly pay forms: money typed in yuan becomes exact fen; people are named by 工号."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField
from jixiao.common.validators import safe_decimal
from jixiao.org.models import Department, Employee
from jixiao.pay.structures.forms import YuanField

from .models import Sanction

MONTH_ATTRS = {"placeholder": "2026-10", "pattern": r"\d{4}-\d{2}"}


class MonthField(forms.RegexField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("月份"))
        super().__init__(
            regex=r"^\d{4}-(0[1-9]|1[0-2])$",
            max_length=7,
            error_messages={"invalid": _("月份格式应为 2026-10。")},
            widget=forms.TextInput(attrs=MONTH_ATTRS),
            **kwargs,
        )


class EmployeeNumberField(forms.CharField):
    """An employee's number (工号) cleaned to the employee."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        number = str(super().clean(value) or "").strip()
        employee = Employee.objects.filter(number=number).first()
        if employee is None:
            raise forms.ValidationError(_("没有这个工号。"))
        return employee


class MonthForm(forms.Form):
    month = MonthField()


class ReleaseForm(forms.Form):
    over_budget_reason = BoundedTextField(
        label=_("超出奖金池发放原因（仅考核小组组长）"), required=False, max_length=500, rows=2
    )


class AdjustmentForm(forms.Form):
    employee = EmployeeNumberField(label=_("工号"))
    amount = YuanField(label=_("调整金额（元，负数为扣回）"), negative=True)
    month = MonthField(label=_("计入月份"))
    reason = forms.CharField(label=_("原因"), min_length=4, max_length=500)


class TravelForm(forms.Form):
    month = MonthField()
    employee = EmployeeNumberField(label=_("工号"))
    days = forms.CharField(label=_("出差天数"), max_length=8)


class TravelImportForm(forms.Form):
    month = MonthField()
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    valid_rows_only = forms.BooleanField(label=_("只导入无误的行"), required=False)


class CompletionForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.order_by("sort_order"))
    month = MonthField()
    rate = forms.CharField(label=_("完成率（如 95%）"), max_length=16)
    note = BoundedTextField(label=_("说明"), required=False, max_length=500, rows=2)

    def clean_rate(self) -> str:
        """The rate stays text for the service (``95%``, ``0.95``) but must be a plain number."""
        rate = str(self.cleaned_data["rate"]).strip()
        if safe_decimal(rate.removesuffix("%").removesuffix("％").removesuffix("‰")) is None:
            raise forms.ValidationError(_("完成率应为数字，例如 95% 或 0.95。"))
        return rate


class SanctionForm(forms.Form):
    employee = EmployeeNumberField(label=_("工号"))
    month = MonthField(label=_("计入月份"))
    kind = forms.ChoiceField(label=_("类型"), choices=Sanction.Kind.choices)
    amount = YuanField(label=_("金额（元）"))
    reason = forms.CharField(label=_("事由"), max_length=500)


class DecideForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    note = BoundedCharField(required=False, max_length=500)
