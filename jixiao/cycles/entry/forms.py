"""Forms for the entry pages; they parse input only, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    valid_rows_only = forms.BooleanField(label=_("只导入无误的行"), required=False)
