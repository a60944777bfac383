"""Cadre review forms: field types and choices only (the rules across fields are the services')."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, CountField, SaneDateField, VersionField
from jixiao.common.text import say
from jixiao.engine import eligibility as engine

from .models import CRITERIA, CycleKind, Potential

REASON_LENGTH = 2000


class RuleForm(forms.Form):
    cycle_kind = forms.ChoiceField(
        label=_("考核周期类型"), choices=CycleKind.choices, initial=CycleKind.QUARTER
    )
    cycle_count = CountField(label=_("最近几个周期"), minimum=1, maximum=engine.MAX_COUNT, initial=4)
    min_grade = BoundedCharField(label=_("最低等级（含）"), max_length=8, initial="B")
    min_months_in_post = CountField(
        label=_("任现职至少（月）"), minimum=0, maximum=engine.MAX_MONTHS, initial=24
    )
    no_veto = forms.BooleanField(label=_("期间无一票否决"), required=False, initial=True)
    no_open_plan = forms.BooleanField(label=_("无进行中的绩效改进计划"), required=False, initial=True)
    note = BoundedTextField(label=_("说明"), max_length=REASON_LENGTH, required=False)
    version = VersionField(required=False)


class NominateForm(forms.Form):
    reason = BoundedTextField(label=_("提名理由"), max_length=REASON_LENGTH, rows=4)
    override_reason = BoundedTextField(
        label=_("不符合任职条件仍提名的理由"), max_length=REASON_LENGTH, required=False
    )


class ScoreForm(forms.Form):
    comment = BoundedTextField(label=_("评语"), max_length=REASON_LENGTH, rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label, top in CRITERIA:
            self.fields[key] = CountField(label=f"{say(label)}（0–{top}）", minimum=0, maximum=top)
        self.order_fields([key for key, _label, _top in CRITERIA] + ["comment"])

    @property
    def criteria_fields(self) -> list[Any]:
        return [self[key] for key, _label, _top in CRITERIA]


class ReasonForm(forms.Form):
    reason = BoundedTextField(label=_("理由"), max_length=REASON_LENGTH, required=False)
    version = VersionField(required=False)


class ApproveForm(forms.Form):
    effective = SaneDateField(label=_("生效日期"))
    reason = BoundedTextField(label=_("审批意见"), max_length=REASON_LENGTH, required=False)
    quota_reason = BoundedTextField(
        label=_("超编理由（超出编制时必填）"), max_length=REASON_LENGTH, required=False
    )
    version = VersionField(required=False)


class PotentialForm(forms.Form):
    year = CountField(label=_("年度"), minimum=2000, maximum=2100)
    level = forms.ChoiceField(label=_("潜力"), choices=Potential.choices, widget=forms.RadioSelect)
    reason = BoundedTextField(label=_("理由"), max_length=REASON_LENGTH)
