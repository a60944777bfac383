"""Forms for summaries, findings, rectification, release and interviews; they parse, services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedTextField, SaneDateField, VersionField
from jixiao.cycles.lifecycle.models import RankRelease


class SummaryForm(forms.Form):
    work_done = BoundedTextField(label=_("本期工作完成情况"), max_length=10_000, rows=4, required=False)
    problems = BoundedTextField(label=_("存在的问题"), max_length=10_000, rows=3, required=False)
    next_steps = BoundedTextField(label=_("下期改进措施"), max_length=10_000, rows=3, required=False)
    version = VersionField()


class FindingForm(forms.Form):
    text = BoundedTextField(label=_("检查发现"), rows=2)
    needs_rectification = forms.BooleanField(label=_("需要整改"), required=False)
    due = SaneDateField(label=_("整改期限"), required=False)


class ReleaseForm(forms.Form):
    score = forms.BooleanField(label=_("公布总分"), required=False)
    grade = forms.BooleanField(label=_("公布等级"), required=False)
    rank = forms.ChoiceField(label=_("公布排名"), choices=RankRelease.choices)


class InterviewForm(forms.Form):
    held_on = SaneDateField(label=_("面谈日期"))
    strengths = BoundedTextField(label=_("做得好的地方"), max_length=5000)
    improvements = BoundedTextField(label=_("需要改进的地方"), max_length=5000)
    goals = BoundedTextField(label=_("商定的下期目标"), max_length=5000)
    version = VersionField()
