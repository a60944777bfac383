"""Forms of complaints and allegations; they parse (lengths bounded, choices fixed), services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, VersionField
from jixiao.cycles.lifecycle.models import Cycle
from jixiao.cycles.results.models import Result
from jixiao.org.models import Employee

from .models import Kind, LinkKind, Outcome

TITLE_LENGTH = 200
TEXT_LENGTH = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (at most ``common.files.MAX_FILES``; the service checks each)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.txt"})
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _person(obj: Any) -> str:
    return f"{obj.name}（{obj.department.name}，{obj.number}）"


def _result(obj: Any) -> str:
    return str(obj.cycle.label)


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect)
    title = BoundedCharField(label=_("标题"), max_length=TITLE_LENGTH)
    text = BoundedTextField(label=_("事实与理由"), max_length=TEXT_LENGTH, rows=8)
    subject = forms.ModelChoiceField(
        label=_("被投诉（举报）人"), queryset=Employee.objects.none(), required=False
    )
    cycle = forms.ModelChoiceField(label=_("考核周期"), queryset=Cycle.objects.none(), required=False)
    result = forms.ModelChoiceField(label=_("我的考核结果"), queryset=Result.objects.none(), required=False)
    evidence = MultipleFileField(label=_("证据文件"))

    def __init__(self, *args: Any, page: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = page.employees  # type: ignore[attr-defined]
        self.fields["subject"].label_from_instance = _person  # type: ignore[attr-defined]
        self.fields["cycle"].queryset = page.cycles  # type: ignore[attr-defined]
        self.fields["result"].queryset = page.results  # type: ignore[attr-defined]
        self.fields["result"].label_from_instance = _result  # type: ignore[attr-defined]


class AnonymousForm(forms.Form):
    title = BoundedCharField(label=_("标题"), max_length=TITLE_LENGTH)
    text = BoundedTextField(label=_("事实与理由"), max_length=TEXT_LENGTH, rows=8)
    subject_name = BoundedCharField(label=_("被举报人姓名"), max_length=50)
    subject_number = BoundedCharField(
        label=_("被举报人工号（知道时填写；同名时必填）"), max_length=32, required=False
    )
    cycle = forms.ModelChoiceField(
        label=_("考核周期（如与某期考核有关）"), queryset=Cycle.objects.none(), required=False
    )
    evidence = MultipleFileField(label=_("证据文件"))

    def __init__(self, *args: Any, cycles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]


class CodeForm(forms.Form):
    code = BoundedCharField(
        label=_("跟进码"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class InfoForm(forms.Form):
    text = BoundedTextField(label=_("补充内容"), max_length=TEXT_LENGTH, rows=4)
    evidence = MultipleFileField(label=_("证据文件"))


class NoteForm(forms.Form):
    text = BoundedTextField(label=_("内容"), max_length=TEXT_LENGTH, rows=4)
    to_reporter = forms.BooleanField(label=_("作为答复发给提出人（不勾选则为内部记录）"), required=False)
    evidence = MultipleFileField(label=_("文件"))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("调查结论"), choices=Outcome.choices)
    closing_note = BoundedTextField(label=_("结案说明（提出人可见）"), max_length=TEXT_LENGTH, rows=4)
    version = VersionField()


class DeclineForm(forms.Form):
    closing_note = BoundedTextField(label=_("不予受理的理由（提出人可见）"), max_length=TEXT_LENGTH, rows=3)
    version = VersionField()


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("关联"), choices=LinkKind.choices)
    cycle = forms.ModelChoiceField(label=_("考核周期"), queryset=Cycle.objects.none())
    flag_kind = forms.ChoiceField(label=_("提示类型"), choices=(), required=False)
    number = BoundedCharField(label=_("员工工号（关联考核结果时）"), max_length=32, required=False)
    text = BoundedCharField(label=_("说明（关联公正检查提示时抄录提示内容）"), max_length=500, required=False)

    def __init__(self, *args: Any, cycles: Any, flag_kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]
        self.fields["flag_kind"].choices = [("", "—"), *flag_kinds]  # type: ignore[attr-defined]
