"""Annual bonus forms: the run form and the what-if simulator's profits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.engine.bonus import profit_range
from jixiao.engine.money import parse_yuan
from jixiao.org.models import Department
from jixiao.pay.structures.forms import YuanField

MAX_PROFITS = 400


class RunForm(forms.Form):
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class SimulateForm(forms.Form):
    """Either a list of profits, or a range; the chart spans the range (or 0 to 600万)."""

    profits = forms.CharField(label=_("净利润（逗号分隔）"), required=False)
    start = YuanField(label=_("从"), required=False)
    stop = YuanField(label=_("到"), required=False)
    step = YuanField(label=_("步长"), required=False)

    DEFAULT = "1999999,2000000,2999999,3000000,3000001,4999999,5000000,5000001"

    def profit_list(self) -> list[int]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") is not None and data.get("stop") is not None and data.get("step"):
            values = profit_range(data["start"], data["stop"], data["step"])
        else:
            try:
                values = [
                    parse_yuan(p) for p in (data.get("profits") or self.DEFAULT).split(",") if p.strip()
                ]
            except ValueError:
                values = [parse_yuan(p) for p in self.DEFAULT.split(",")]
        return values[:MAX_PROFITS]

    def chart_span(self) -> tuple[int, int]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") is not None and data.get("stop") is not None and data["stop"] > data["start"]:
            return data["start"], data["stop"]
        return 0, 600_000_000
