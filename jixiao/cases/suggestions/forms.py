"""Forms of suggestions; they parse, services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField

from .models import Topic


class SuggestionForm(forms.Form):
    topic = forms.ChoiceField(label=_("涉及方面"), choices=Topic.choices, initial=Topic.OTHER)
    title = BoundedCharField(label=_("标题"), max_length=200)
    text = BoundedTextField(label=_("意见或建议"), max_length=5000, rows=6)


class AnswerForm(forms.Form):
    answer = BoundedTextField(label=_("答复"), max_length=5000, rows=5)
    publish = forms.BooleanField(
        label=_("同时公开答复（所有人可见标题、内容与答复，不显示提出人）"), required=False
    )
