"""Forms of the monthly report: the month to generate, HR's conclusion, a correction note."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CONCLUSION_MAX, CORRECTION_MAX


class GenerateForm(forms.Form):
    month = forms.CharField(label=_("月份"), max_length=7, help_text=_("如 2026-10"))


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("结论"), max_length=CONCLUSION_MAX, required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2_000_000_000)


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2_000_000_000)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("更正说明"), min_length=4, max_length=CORRECTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
