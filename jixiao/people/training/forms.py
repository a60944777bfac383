"""Training forms: field types and choices only (the rules across fields are the services')."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, SaneDateField, VersionField
from jixiao.common.text import say

from .models import DESCRIPTION_LENGTH, LOCATION_LENGTH, REASON_LENGTH, TOPIC_LENGTH, TRAINER_LENGTH


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (each checked by the service: type, size, content)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(FilesField, self).clean(item, initial) for item in items if item]


class SessionForm(forms.Form):
    topic = BoundedCharField(label=_("培训主题"), max_length=TOPIC_LENGTH)
    held_on = SaneDateField(label=_("培训日期"))
    trainer = BoundedCharField(label=_("讲师"), max_length=TRAINER_LENGTH)
    online = forms.BooleanField(label=_("线上培训"), required=False)
    location = BoundedCharField(label=_("地点或会议链接"), max_length=LOCATION_LENGTH, required=False)
    framework_id = forms.TypedChoiceField(label=_("考核总框架版本"), coerce=int, choices=())
    description = BoundedTextField(label=_("内容简介"), max_length=DESCRIPTION_LENGTH, required=False, rows=4)
    ask_acknowledgement = forms.BooleanField(label=_("请受邀人确认已阅读资料"), required=False)
    version = VersionField(required=False)

    def __init__(self, *args: Any, frameworks: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["framework_id"]).choices = list(frameworks)

    def session_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ReasonForm(forms.Form):
    reason = BoundedTextField(label=_("取消原因"), max_length=REASON_LENGTH, required=False)
    version = VersionField(required=False)


class InviteForm(forms.Form):
    departments = forms.TypedMultipleChoiceField(
        label=_("部门"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )
    include_below = forms.BooleanField(label=_("包括下级部门"), required=False, initial=True)
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        departments: Iterable[Any] = (),
        roles: Iterable[tuple[str, Any]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["departments"]).choices = [(d.pk, d.name) for d in departments]
        cast(forms.ChoiceField, self.fields["roles"]).choices = [(code, say(name)) for code, name in roles]


class MaterialForm(forms.Form):
    materials = FilesField(label=_("培训资料"))


class AttendanceForm(forms.Form):
    """Every invitee shown (``shown``) is marked: present when ticked, absent otherwise."""

    shown = forms.TypedMultipleChoiceField(coerce=int, choices=(), widget=forms.MultipleHiddenInput)
    present = forms.TypedMultipleChoiceField(
        label=_("出勤"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, invitees: Iterable[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(pk, str(pk)) for pk in invitees]
        cast(forms.ChoiceField, self.fields["shown"]).choices = choices
        cast(forms.ChoiceField, self.fields["present"]).choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(label=_("出勤表（Excel 或 CSV）"))


class UntrainedForm(forms.Form):
    framework = forms.TypedChoiceField(label=_("考核总框架版本"), coerce=int, choices=(), required=False)

    def __init__(self, *args: Any, frameworks: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["framework"]).choices = [("", "—"), *frameworks]
