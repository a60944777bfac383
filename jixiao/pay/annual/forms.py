"""Annual bonus forms: the run form and the what-if simulator's profits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, ProfitField
from jixiao.org.models import Department


class RunForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class SimulateForm(forms.Form):
    """Either a list of profits, or a range; the page selector checks the number of points and
    each listed value (``simulator_profits``) and refuses with a message, never computing."""

    profits = BoundedCharField(label=_("净利润（逗号分隔）"), required=False, max_length=4000)
    start = ProfitField(label=_("从"), required=False)
    stop = ProfitField(label=_("到"), required=False)
    step = ProfitField(label=_("步长"), required=False)
