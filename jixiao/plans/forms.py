"""Forms for plans: an indicator row (saved as the user types), creation, transitions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, CycleLabelField, SaneDateField
from jixiao.common.validators import safe_decimal
from jixiao.engine.types import Kind, Rater, Source
from jixiao.org.models import Department, Employee, Position

from .models import CommitteeMeeting, Framework

KIND_CHOICES = [
    (Kind.RATIO.value, _("比率（越高越好）")),
    (Kind.INVERSE_RATIO.value, _("反比率（越低越好）")),
    (Kind.BANDS.value, _("分档")),
    (Kind.RUBRIC.value, _("等级描述（优/良/中/差）")),
    (Kind.DEDUCTION.value, _("扣分项")),
    (Kind.BONUS.value, _("加分项")),
    (Kind.VETO.value, _("一票否决")),
    (Kind.DERIVED.value, _("派生指标（公式）")),
]
SOURCE_CHOICES = [
    ("", "—"),
    (Source.MANUAL.value, _("人工评分")),
    (Source.IMPORT.value, _("导入")),
    (Source.API.value, _("接口")),
    (Source.DERIVED.value, _("公式计算")),
]
RATER_CHOICES = [
    (Rater.SELF.value, _("自评")),
    (Rater.MANAGER.value, _("上级")),
    (Rater.PEER.value, _("互评")),
    (Rater.COMMITTEE.value, _("小组")),
]
NUMBER_FIELDS = ("weight", "target", "cap", "floor", "points_per_event", "max_points")
TEXT_FIELDS = (
    "name_en",
    "unit",
    "evidence",
    "measure",
    "formula",
    "veto_grade",
    "description_zh",
    "category",
)


class IndicatorForm(forms.Form):
    """One indicator, as the plan editor shows it; numbers stay text (``"0.05%"`` is fine)."""

    key = forms.SlugField(label=_("代码"), max_length=40)
    name_zh = forms.CharField(label=_("指标名称"), max_length=100)
    category = forms.CharField(label=_("类别"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=KIND_CHOICES)
    weight = forms.CharField(label=_("权重"), max_length=20, required=False)
    target = forms.CharField(label=_("目标值"), max_length=30, required=False)
    unit = forms.CharField(label=_("单位"), max_length=20, required=False)
    source = forms.ChoiceField(label=_("数据来源"), choices=SOURCE_CHOICES, required=False)
    raters = forms.MultipleChoiceField(
        label=_("评分人"), choices=RATER_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.CharField(label=_("证据要求"), max_length=200, required=False)
    measure = forms.CharField(label=_("数据项"), max_length=40, required=False)
    cap = forms.CharField(label=_("封顶（比率）"), max_length=20, required=False)
    floor = forms.CharField(label=_("最低分"), max_length=20, required=False)
    points_per_event = forms.CharField(label=_("每次分值"), max_length=20, required=False)
    max_points = forms.CharField(label=_("分值上限"), max_length=20, required=False)
    formula = forms.CharField(label=_("公式"), max_length=200, required=False)
    score_as = forms.ChoiceField(label=_("公式结果按"), choices=KIND_CHOICES[:3], required=False)
    veto_grade = forms.CharField(label=_("否决后最高等级"), max_length=10, required=False)
    veto_voids_bonus = forms.BooleanField(label=_("否决取消奖金"), required=False)
    description_zh = forms.CharField(
        label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    bands = BoundedTextField(
        label=_("分档表（每行：下限,上限,得分）"), required=False, max_length=4000, rows=3
    )
    levels = BoundedTextField(
        label=_("等级（每行：代码|名称|得分|描述）"), required=False, max_length=8000, rows=4
    )

    def clean(self) -> dict[str, Any]:
        """Numbers stay text (``"0.05%"`` is fine) but must be plain finite numbers."""
        data = super().clean() or {}
        for name in NUMBER_FIELDS:
            if data.get(name) and not _is_number(data[name]):
                self.add_error(name, _("应为数字，例如 20、0.5 或 95%。"))
        return data

    def clean_bands(self) -> list[dict[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3 or not parts[2]:
                raise forms.ValidationError(
                    _("第 %(n)s 行应为“下限,上限,得分”，无下限或上限时留空。") % {"n": number}
                )
            if not all(_is_number(part) for part in parts if part):
                raise forms.ValidationError(_("第 %(n)s 行的下限、上限和得分应为数字。") % {"n": number})
            row = {"points": parts[2]}
            if parts[0]:
                row["lower"] = parts[0]
            if parts[1]:
                row["upper"] = parts[1]
            rows.append(row)
        return rows

    def clean_levels(self) -> list[dict[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["levels"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 3 or not parts[0] or not parts[1] or not parts[2]:
                raise forms.ValidationError(_("第 %(n)s 行应为“代码|名称|得分|描述”。") % {"n": number})
            if not _is_number(parts[2]):
                raise forms.ValidationError(_("第 %(n)s 行的得分应为数字。") % {"n": number})
            level = {"key": parts[0], "name_zh": parts[1], "points": parts[2]}
            if len(parts) > 3 and parts[3]:
                level["description_zh"] = "|".join(parts[3:])
            rows.append(level)
        return rows

    def indicator(self) -> dict[str, Any]:
        """The indicator as stored (the TOML shape), without empty values."""
        data = self.cleaned_data
        result: dict[str, Any] = {"key": data["key"], "name_zh": data["name_zh"], "kind": data["kind"]}
        for name in (*NUMBER_FIELDS, *TEXT_FIELDS):
            if data.get(name):
                result[name] = data[name].strip()
        if data.get("source"):
            result["source"] = data["source"]
        if data.get("raters"):
            result["raters"] = list(data["raters"])
        if data["kind"] == Kind.DERIVED and data.get("score_as"):
            result["score_as"] = data["score_as"]
        if data.get("veto_voids_bonus"):
            result["veto_voids_bonus"] = True
        if data["bands"]:
            result["bands"] = data["bands"]
        if data["levels"]:
            result["levels"] = data["levels"]
        return result

    @classmethod
    def initial_from(cls, indicator: dict[str, Any]) -> dict[str, Any]:
        initial = {k: v for k, v in indicator.items() if k not in {"bands", "levels"}}
        initial["bands"] = "\n".join(
            f"{b.get('lower', '')},{b.get('upper', '')},{b.get('points', '')}"
            for b in indicator.get("bands", [])
        )
        initial["levels"] = "\n".join(
            "|".join(
                str(x)
                for x in (
                    lv.get("key", ""),
                    lv.get("name_zh", ""),
                    lv.get("points", ""),
                    lv.get("description_zh", ""),
                )
            )
            for lv in indicator.get("levels", [])
        )
        return initial


class PlanCreateForm(forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=200)
    department = forms.ModelChoiceField(label=_("部门"), queryset=Department.objects.none())
    positions = forms.ModelMultipleChoiceField(
        label=_("适用岗位（留空表示全部门）"),
        queryset=Position.objects.select_related("department"),
        required=False,
    )
    framework = forms.ModelChoiceField(label=_("考核总框架"), queryset=Framework.objects.none())
    start = forms.ChoiceField(label=_("起点"), choices=[], initial="blank")
    file = forms.FileField(label=_("从文件（TOML 或 Excel）"), required=False)

    def __init__(
        self, *args: Any, departments: Any, frameworks: Any, templates: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        positions = Position.objects.filter(department__in=departments).select_related("department")
        self.fields["positions"].queryset = positions  # type: ignore[attr-defined]
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["start"].choices = [("blank", _("空白方案")), *templates, ("file", _("上传文件"))]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") == "file" and not data.get("file"):
            self.add_error("file", _("请选择要上传的文件。"))
        return data


def _is_number(text: str) -> bool:
    return safe_decimal(text.strip().removesuffix("%").removesuffix("‰")) is not None


class TransitionForm(forms.Form):
    action = BoundedCharField(max_length=40)
    note = BoundedTextField(label=_("意见 / 原因"), required=False, rows=2)
    meeting = forms.ModelChoiceField(
        label=_("考核小组会议"), queryset=CommitteeMeeting.objects.all(), required=False
    )
    effective_from = CycleLabelField(label=_("生效周期（如 2026-01）"), required=False)


class CommentForm(forms.Form):
    indicator_key = BoundedCharField(label=_("指标"), max_length=40, required=False)
    text = BoundedTextField(label=_("不合理项意见"), rows=2)


class AnswerForm(forms.Form):
    answer = BoundedTextField(label=_("答复"), rows=2)


class MeetingForm(forms.Form):
    held_on = SaneDateField(label=_("会议日期"))
    title = forms.CharField(label=_("会议名称"), max_length=200)
    attendees = forms.ModelMultipleChoiceField(
        label=_("出席人员"),
        queryset=Employee.objects.select_related("department"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    decision = BoundedTextField(label=_("会议决定"), rows=3)
    minutes = BoundedTextField(label=_("会议纪要"), required=False, max_length=20_000, rows=5)
