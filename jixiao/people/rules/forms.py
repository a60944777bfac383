"""Forms of rules that propose: field types and choices only (the service checks the rest)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, MoneyField, VersionField
from jixiao.engine.people_rules import MAX_CONDITION_LENGTH

from .models import ActionKind, CycleKind

REASON_LENGTH = 2000


class RuleSetForm(forms.Form):
    name = BoundedCharField(label=_("名称"), max_length=100)
    note = BoundedTextField(label=_("说明"), max_length=2000, required=False)
    version = VersionField(required=False)


class RuleForm(forms.Form):
    name = BoundedCharField(label=_("名称（可不填）"), max_length=100, required=False)
    cycle_kind = forms.ChoiceField(label=_("周期类型"), choices=CycleKind.choices, initial=CycleKind.MONTH)
    condition = BoundedCharField(
        label=_("条件"),
        max_length=MAX_CONDITION_LENGTH,
        help_text=_(
            "例如 grade = D、grade in {A} for 2 in a row、grade in {C, D} for 3 in a row、total < 60、veto"
        ),
    )
    action = forms.ChoiceField(label=_("措施"), choices=ActionKind.choices)
    amount = MoneyField(label=_("金额（元，仅奖励和处罚）"), required=False)
    version = VersionField(required=False)


class StepForm(forms.Form):
    reason = BoundedTextField(label=_("理由或意见"), max_length=REASON_LENGTH, required=False)
    version = VersionField(required=False)


class RunForm(forms.Form):
    cycle = forms.TypedChoiceField(label=_("已锁定的周期"), coerce=int, choices=())

    def __init__(self, *args: Any, cycles: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cycle"]).choices = [(c.pk, c.label) for c in cycles]
