"""Pay forms shared by the wings: amounts are typed in yuan and become exact fen here (never
a float); the pay structure and net profit forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.engine.money import parse_yuan


class YuanField(forms.CharField):
    """An amount in yuan (``4000``, ``1,000.50``, ``300万``) cleaned to exact fen."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_yuan(str(text))
        except ValueError:
            raise forms.ValidationError(_("请输入金额，最多两位小数，例如 4000 或 300万。")) from None


class StructureForm(forms.Form):
    effective_from = forms.DateField(label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}))
    base_salary = YuanField(label=_("基本工资（元）"))
    monthly_bonus_base = YuanField(label=_("月度奖金基数（元）"))
    travel_per_day = YuanField(label=_("出差补贴每天（元）"))
    annual_bonus_role = forms.CharField(label=_("年度奖金角色"), required=False, max_length=64)


class ProfitForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = YuanField(label=_("净利润（元）"))
    reason = forms.CharField(
        label=_("更正原因（已审批后再录入时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[("submit", "submit"), ("approve", "approve"), ("return", "return")])
    reason = forms.CharField(required=False)


class ExportForm(forms.Form):
    reason = forms.CharField(label=_("导出原因"), min_length=4, max_length=500)
