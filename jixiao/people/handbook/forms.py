"""Forms of the policy handbook: field types only (the services check size and lines)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import BoundedCharField, BoundedTextField, VersionField

from .markdown import MAX_BYTES


class VersionForm(forms.Form):
    title = BoundedCharField(label=_("制度名称"), max_length=200)
    body = BoundedTextField(
        label=_("正文（Markdown）"), max_length=MAX_BYTES, rows=24, strip=False,
        help_text=_(
            "用 Markdown 书写：# 标题、- 列表、**加粗**、[链接文字](https://…)、表格。"
            "不支持 HTML 和图片；最多 200 KB、5000 行。"
        ),
    )  # fmt: skip
    change_note = BoundedTextField(label=_("修订说明"), max_length=2000, rows=3, required=False)
    version = VersionField(required=False)


class StepForm(forms.Form):
    reason = BoundedTextField(label=_("原因"), max_length=2000, rows=2, required=False)
    version = VersionField(required=False)
