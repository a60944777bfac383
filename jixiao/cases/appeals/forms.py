"""The appeal forms: field types and choices only (the rules across fields are the services')."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedTextField, VersionField
from jixiao.common.files import MAX_FILES
from jixiao.common.text import say

from .models import Recommendation

REASON_LENGTH = 2000
VALUE_LENGTH = 40


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input (each checked by the service: type, size, content)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        items = [item for item in items if item]
        if len(items) > MAX_FILES:
            raise forms.ValidationError(_("最多上传 %(n)d 个文件。") % {"n": MAX_FILES})
        return [super(EvidenceField, self).clean(item, initial) for item in items]


class AppealForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("申诉范围"),
        choices=[("whole", _("整个考核结果")), ("indicators", _("指定的指标"))],
        widget=forms.RadioSelect,
        initial="whole",
    )
    indicators = forms.MultipleChoiceField(
        label=_("申诉的指标"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = BoundedTextField(label=_("申诉理由"), max_length=REASON_LENGTH, rows=6)
    evidence = EvidenceField(label=_("证据文件"), required=False)

    def __init__(self, *args: Any, indicators: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicators"]).choices = list(indicators)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "indicators" and not data.get("indicators"):
            self.add_error("indicators", _("请选择要申诉的指标。"))
        if data.get("scope") == "whole":
            data["indicators"] = []
        return data


class ReasonForm(forms.Form):
    reason = BoundedTextField(label=_("理由"), max_length=REASON_LENGTH, required=False)
    version = VersionField(required=False)


class AssignForm(forms.Form):
    rechecker = forms.TypedChoiceField(label=_("复核人"), coerce=int, choices=())
    version = VersionField(required=False)

    def __init__(self, *args: Any, candidates: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rechecker"]).choices = [(c.user_id, c.name) for c in candidates]


class StatementRequestForm(forms.Form):
    rater = forms.TypedChoiceField(label=_("评分人"), coerce=int, choices=())
    question = BoundedTextField(label=_("请说明的问题"), max_length=REASON_LENGTH)

    def __init__(self, *args: Any, raters: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rater"]).choices = [(r.pk, str(r)) for r in raters]


class StatementAnswerForm(forms.Form):
    answer = BoundedTextField(label=_("您的说明"), max_length=REASON_LENGTH, rows=6)
    version = VersionField(required=False)


class RecommendForm(forms.Form):
    """Uphold or adjust, the reason, and one text input per correctable input of the result
    (named ``measure:<key>`` / ``rating:<indicator>:<kind>``; ``recheck.corrections_parse``
    reads them)."""

    recommendation = forms.ChoiceField(
        label=_("复核意见"), choices=Recommendation.choices, widget=forms.RadioSelect
    )
    reason = BoundedTextField(label=_("复核理由"), max_length=REASON_LENGTH, rows=4)
    version = VersionField(required=False)

    def __init__(self, *args: Any, corrections: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.correction_names: list[str] = []
        for f in corrections:
            self.fields[f.name] = forms.CharField(
                label=say(f.label), required=False, max_length=VALUE_LENGTH, initial=f.current,
                help_text=say(f.hint), strip=True,
            )  # fmt: skip
            self.correction_names.append(f.name)

    def corrections_data(self) -> dict[str, str]:
        """The corrected values typed (an emptied input means "unchanged")."""
        return {name: value for name in self.correction_names if (value := self.cleaned_data.get(name))}

    def correction_fields(self) -> list[Any]:
        return [self[name] for name in self.correction_names]


class DecideForm(forms.Form):
    reason = BoundedTextField(label=_("决定理由"), max_length=REASON_LENGTH, rows=4)
    version = VersionField(required=False)
    revision = VersionField(required=False)  # the result's revision the preview was of
