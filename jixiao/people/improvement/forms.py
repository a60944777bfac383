"""Improvement plan forms: field types and choices only (rules across fields are the services')."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedTextField, IdField, SaneDateField, VersionField

from .models import Progress, SupportKind

REASON_LENGTH = 2000
GOAL_LENGTH = 1000


class StartForm(forms.Form):
    employee = forms.TypedChoiceField(label=_("员工"), coerce=int, choices=())
    results = forms.TypedMultipleChoiceField(
        label=_("促成这份计划的考核结果"), coerce=int, choices=(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    reason = BoundedTextField(
        label=_("为什么制定这份计划（希望帮助对方在哪些方面成长）"), max_length=REASON_LENGTH, rows=4
    )

    def __init__(
        self, *args: Any, employees: Iterable[tuple[int, str]] = (), results: Iterable[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["employee"]).choices = list(employees)
        cast(forms.ChoiceField, self.fields["results"]).choices = list(results)


class GoalForm(forms.Form):
    text = BoundedTextField(label=_("目标"), max_length=GOAL_LENGTH, rows=2)
    measure = BoundedTextField(label=_("衡量方式"), max_length=GOAL_LENGTH, rows=2)
    target_date = SaneDateField(label=_("目标日期"))
    version = VersionField(required=False)


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("支持方式"), choices=SupportKind.choices)
    text = BoundedTextField(label=_("支持内容"), max_length=GOAL_LENGTH, rows=2)
    version = VersionField(required=False)


class ReviewForm(forms.Form):
    due = SaneDateField(label=_("复盘日期"))
    version = VersionField(required=False)


class RemoveForm(forms.Form):
    kind = forms.ChoiceField(choices=[("goal", "goal"), ("support", "support"), ("review", "review")])
    item = IdField()
    version = VersionField(required=False)


class StepForm(forms.Form):
    reason = BoundedTextField(label=_("说明"), max_length=REASON_LENGTH, required=False)
    new_review = SaneDateField(label=_("新的复盘日期（延长计划时填写）"), required=False)
    version = VersionField(required=False)


class CheckInForm(forms.Form):
    day = SaneDateField(label=_("跟进日期"))
    progress = forms.ChoiceField(label=_("进展"), choices=Progress.choices, widget=forms.RadioSelect)
    note = BoundedTextField(label=_("跟进记录（谈了什么、下一步怎么支持）"), max_length=REASON_LENGTH, rows=5)
    review = forms.TypedChoiceField(
        label=_("对应的复盘日期"), coerce=int, choices=(), required=False, empty_value=None
    )

    def __init__(self, *args: Any, reviews: Iterable[Any] = (), **kwargs: Any) -> None:
        reviews = list(reviews)
        kwargs.setdefault(
            "initial", {"day": timezone.localdate(), "review": reviews[0].pk if reviews else ""}
        )
        super().__init__(*args, **kwargs)
        choices = [(r.pk, str(r.due)) for r in reviews]
        cast(forms.ChoiceField, self.fields["review"]).choices = [("", _("不对应复盘日期")), *choices]


class CommentForm(forms.Form):
    text = BoundedTextField(label=_("意见"), max_length=REASON_LENGTH, rows=3)
