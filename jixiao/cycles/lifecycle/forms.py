"""Forms for cycle pages; they parse input only, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.org.models import Department

from .models import Cycle  # the kinds of cycle, for the choice


class CycleForm(forms.Form):
    label = forms.CharField(label=_("周期"), max_length=16, help_text="2026-11")
    kind = forms.ChoiceField(label=_("周期类型"), choices=Cycle.Kind.choices)
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    departments = forms.ModelMultipleChoiceField(label=_("参加部门"), queryset=Department.objects.all())
    scoring_deadline = forms.DateField(
        label=_("评分截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
