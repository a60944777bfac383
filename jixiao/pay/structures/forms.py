"""Pay forms shared by the wings: amounts are typed in yuan and become exact fen here (never
a float); the pay structure and net profit forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, MoneyField, ProfitField, SaneDateField


class YuanField(MoneyField):
    """An amount in yuan (``4000``, ``1,000.50``, ``300万``) cleaned to exact fen, at most the
    money ceiling (``JIXIAO_MONEY_CEILING_YUAN``); ``negative=True`` where it may be taken back."""


class StructureForm(forms.Form):
    effective_from = SaneDateField(label=_("生效日期"))
    base_salary = YuanField(label=_("基本工资（元）"))
    monthly_bonus_base = YuanField(label=_("月度奖金基数（元）"))
    travel_per_day = YuanField(label=_("出差补贴每天（元）"))
    annual_bonus_role = forms.CharField(label=_("年度奖金角色"), required=False, max_length=64)


class ProfitForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = ProfitField(label=_("净利润（元）"))
    reason = BoundedTextField(
        label=_("更正原因（已审批后再录入时必填）"), required=False, max_length=500, rows=2
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[("submit", "submit"), ("approve", "approve"), ("return", "return")])
    reason = BoundedCharField(required=False, max_length=500)


class ExportForm(forms.Form):
    reason = forms.CharField(label=_("导出原因"), min_length=4, max_length=500)
