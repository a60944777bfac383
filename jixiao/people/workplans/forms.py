"""Forms of work plans: field types and choices only (the services decide)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jixiao.common.fields import BoundedCharField, BoundedTextField, SaneDateField, VersionField

from .models import Kind


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("计划类型"), choices=Kind.choices, initial=Kind.YEAR)
    period = BoundedCharField(
        label=_("期间"), max_length=7, help_text=_("年度写 2026，季度写 2026-Q2，月度写 2026-05。")
    )
    title = BoundedCharField(label=_("标题"), max_length=200)
    goals = BoundedTextField(label=_("目标与说明"), max_length=5000, rows=5, required=False)
    version = VersionField(required=False)


class ItemForm(forms.Form):
    task = BoundedCharField(label=_("工作事项"), max_length=300)
    detail = BoundedTextField(label=_("说明"), max_length=5000, rows=3, required=False)
    owner = forms.TypedChoiceField(
        label=pgettext_lazy("work item owner", "负责人"), coerce=int, required=False, empty_value=None
    )
    owner_number = BoundedCharField(
        label=_("或填写负责人工号"), max_length=32, required=False,
        help_text=_("负责人不在列表中时填写其工号（填写后以工号为准）。"),
    )  # fmt: skip
    due = SaneDateField(label=_("完成期限"))
    cycle_ids = forms.TypedMultipleChoiceField(
        label=_("关联的考核周期"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    training_ids = BoundedCharField(
        label=_("关联的培训（编号）"), max_length=200, required=False,
        help_text=_("培训编号，多个用逗号或空格分隔，例如 3, 7。"),
    )  # fmt: skip
    version = VersionField(required=False)

    def __init__(
        self,
        *args: Any,
        owners: Iterable[tuple[int, str]] = (),
        cycles: Iterable[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", "—"), *owners]
        cast(forms.ChoiceField, self.fields["cycle_ids"]).choices = list(cycles)

    def clean_training_ids(self) -> list[str]:
        text = str(self.cleaned_data.get("training_ids") or "")
        return [part for part in text.replace("，", ",").replace(",", " ").split() if part]


class StepForm(forms.Form):
    """A step of a plan or an item; the reason where the step asks for one."""

    reason = BoundedTextField(label=_("原因"), max_length=2000, rows=2, required=False)
    version = VersionField(required=False)
