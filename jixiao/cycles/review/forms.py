"""Forms for summaries, findings, rectification, release and interviews; they parse, services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.cycles.lifecycle.models import RankRelease

DATE = forms.DateInput(attrs={"type": "date"})


class SummaryForm(forms.Form):
    work_done = forms.CharField(
        label=_("本期工作完成情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    problems = forms.CharField(
        label=_("存在的问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_steps = forms.CharField(
        label=_("下期改进措施"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 2}))
    needs_rectification = forms.BooleanField(label=_("需要整改"), required=False)
    due = forms.DateField(label=_("整改期限"), required=False, widget=DATE)


class ReleaseForm(forms.Form):
    score = forms.BooleanField(label=_("公布总分"), required=False)
    grade = forms.BooleanField(label=_("公布等级"), required=False)
    rank = forms.ChoiceField(label=_("公布排名"), choices=RankRelease.choices)


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("面谈日期"), widget=DATE)
    strengths = forms.CharField(label=_("做得好的地方"), widget=forms.Textarea(attrs={"rows": 3}))
    improvements = forms.CharField(label=_("需要改进的地方"), widget=forms.Textarea(attrs={"rows": 3}))
    goals = forms.CharField(label=_("商定的下期目标"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
