"""The framework form: HR edits the company framework as fields and one-line-per-item lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, CountField, PercentField, ScoreField
from jixiao.common.validators import safe_decimal

CYCLES = [("month", _("月度")), ("quarter", _("季度")), ("year", _("年度"))]
RATERS = ("self", "manager", "peer", "committee")


class FrameworkForm(forms.Form):
    name = BoundedCharField(label=_("框架名称"), max_length=200)
    min_indicators = CountField(label=_("指标数量下限"), minimum=1, maximum=100, initial=4)
    max_indicators = CountField(label=_("指标数量上限"), minimum=1, maximum=100, initial=10)
    min_indicator_weight = PercentField(label=_("单项权重下限"), initial=5)
    max_indicator_weight = PercentField(label=_("单项权重上限"), initial=40)
    bonus_cap = ScoreField(label=_("加分合计上限"), required=False)
    deduction_cap = ScoreField(label=_("扣分合计上限"), required=False)
    weight_self = PercentField(label=_("自评权重 %"), initial=10)
    weight_manager = PercentField(label=_("上级评分权重 %"), initial=60)
    weight_peer = PercentField(label=_("互评权重 %"), initial=20)
    weight_committee = PercentField(label=_("小组评分权重 %"), initial=10)
    min_group_size = CountField(label=_("强制分布最小人数"), minimum=1, maximum=100_000, initial=10)
    quota_enforced = forms.BooleanField(label=_("强制执行配额（否则仅提示）"), required=False)
    cycle_types = forms.MultipleChoiceField(
        label=_("允许的周期"),
        choices=CYCLES,
        widget=forms.CheckboxSelectMultiple,
        initial=["month", "quarter", "year"],
    )
    categories = BoundedTextField(
        label=_("指标类别（每行：代码|名称|最小权重|最大权重|必需 是/否）"), max_length=5000, rows=5
    )
    grades = BoundedTextField(
        label=_("等级（每行：代码|名称|最低分|系数|配额上限|配额下限，从高到低）"), max_length=5000, rows=5
    )

    def clean_categories(self) -> list[dict[str, Any]]:
        rows = []
        for number, parts in _lines(self.cleaned_data["categories"]):
            if len(parts) < 4:
                raise forms.ValidationError(
                    _("第 %(n)s 行应为“代码|名称|最小权重|最大权重|必需”。") % {"n": number}
                )
            _numbers(number, parts[2:4])
            category: dict[str, Any] = {
                "key": parts[0],
                "name_zh": parts[1],
                "weight": {"min": parts[2], "max": parts[3]},
            }
            if len(parts) > 4 and parts[4] in {"是", "必需", "yes", "true", "1"}:
                category["required"] = True
            rows.append(category)
        return rows

    def clean_grades(self) -> list[dict[str, Any]]:
        rows = []
        for number, parts in _lines(self.cleaned_data["grades"]):
            if len(parts) < 4:
                raise forms.ValidationError(
                    _("第 %(n)s 行应为“代码|名称|最低分|系数|配额上限|配额下限”。") % {"n": number}
                )
            _numbers(number, parts[2:6])
            grade: dict[str, Any] = {
                "key": parts[0],
                "name_zh": parts[1],
                "min_score": parts[2],
                "coefficient": parts[3],
            }
            if len(parts) > 4 and parts[4]:
                grade["quota_max"] = parts[4]
            if len(parts) > 5 and parts[5]:
                grade["quota_min"] = parts[5]
            rows.append(grade)
        if not rows:
            raise forms.ValidationError(_("至少需要一个等级。"))
        return rows

    def content(self, existing: dict[str, Any]) -> dict[str, Any]:
        """The framework table (TOML shape), keeping settings the form does not show."""
        d = self.cleaned_data
        content = {k: v for k, v in existing.items() if k not in {"key", "name_zh", "version"}}
        content.update(
            {
                "indicators": {"min": d["min_indicators"], "max": d["max_indicators"]},
                "indicator_weight": {
                    "min": str(d["min_indicator_weight"]),
                    "max": str(d["max_indicator_weight"]),
                },
                "rater_weights": {r: str(d[f"weight_{r}"]) for r in RATERS},
                "distribution": {"min_group_size": d["min_group_size"], "enforced": d["quota_enforced"]},
                "cycle_types": list(d["cycle_types"]),
                "categories": d["categories"],
                "grades": d["grades"],
            }
        )
        for cap in ("bonus_cap", "deduction_cap"):
            if d.get(cap) is not None:
                content[cap] = str(d[cap])
            else:
                content.pop(cap, None)
        return content

    @staticmethod
    def initial_from(name: str, content: dict[str, Any]) -> dict[str, Any]:
        raters = content.get("rater_weights", {})
        counts, weights = content.get("indicators", {}), content.get("indicator_weight", {})
        distribution = content.get("distribution", {})
        return {
            "name": name,
            "min_indicators": counts.get("min", 4),
            "max_indicators": counts.get("max", 10),
            "min_indicator_weight": weights.get("min", 5),
            "max_indicator_weight": weights.get("max", 40),
            "bonus_cap": content.get("bonus_cap"),
            "deduction_cap": content.get("deduction_cap"),
            **{f"weight_{r}": raters.get(r, 0) for r in RATERS},
            "min_group_size": distribution.get("min_group_size", 10),
            "quota_enforced": distribution.get("enforced", False),
            "cycle_types": content.get("cycle_types", ["month", "quarter", "year"]),
            "categories": "\n".join(
                "|".join(
                    [
                        c["key"],
                        c.get("name_zh", ""),
                        str(c.get("weight", {}).get("min", 0)),
                        str(c.get("weight", {}).get("max", 100)),
                        "是" if c.get("required") else "否",
                    ]
                )
                for c in content.get("categories", [])
            ),
            "grades": "\n".join(
                "|".join(
                    [
                        g["key"],
                        g.get("name_zh", ""),
                        str(g.get("min_score", "")),
                        str(g.get("coefficient", "")),
                        str(g.get("quota_max", "")),
                        str(g.get("quota_min", "")),
                    ]
                ).rstrip("|")
                for g in content.get("grades", [])
            ),
        }


def _numbers(line: int, parts: list[str]) -> None:
    """Refuse a line whose numbers are not plain finite numbers (no ``nan``, ``1e30``)."""
    for part in parts:
        if part and safe_decimal(part.removesuffix("%")) is None:
            raise forms.ValidationError(_("第 %(n)s 行的“%(v)s”不是数字。") % {"n": line, "v": part[:20]})


def _lines(text: str) -> list[tuple[int, list[str]]]:
    return [
        (number, [part.strip() for part in line.split("|")])
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    ]
