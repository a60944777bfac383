"""Forms for cycle pages; they parse input only, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import CycleLabelField, SaneDateField
from jixiao.org.models import Department

from .models import Cycle  # the kinds of cycle, for the choice


class CycleForm(forms.Form):
    label = CycleLabelField(label=_("周期"), help_text="2026-11 / 2026-Q4 / 2026")
    kind = forms.ChoiceField(label=_("周期类型"), choices=Cycle.Kind.choices)
    start = SaneDateField(label=_("开始日期"))
    end = SaneDateField(label=_("结束日期"))
    departments = forms.ModelMultipleChoiceField(label=_("参加部门"), queryset=Department.objects.all())
    scoring_deadline = SaneDateField(label=_("评分截止日期"), required=False)
