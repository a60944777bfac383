"""Forms of the cases' shared pages: the inbox filters and one step deadline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jixiao.common.fields import CountField
from jixiao.common.validators import MAX_COUNT

from .deadlines import DEFAULT_DAYS, MAX_DAYS

KINDS = sorted({kind for kind, _step in DEFAULT_DAYS})
STEPS = sorted({step for _kind, step in DEFAULT_DAYS})


class DeadlineForm(forms.Form):
    """HR's figure for one step: the step is named by hidden fields, the days are typed."""

    kind = forms.ChoiceField(label=_("案件类型"), choices=[(k, k) for k in KINDS], widget=forms.HiddenInput)
    step = forms.ChoiceField(label=_("环节"), choices=[(s, s) for s in STEPS], widget=forms.HiddenInput)
    days = CountField(label=_("期限（天）"), minimum=1, maximum=MAX_DAYS)
    version = CountField(
        label=_("版本"), minimum=0, maximum=MAX_COUNT, widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", False)  # one form per row: no repeated element ids
        super().__init__(*args, **kwargs)

    def is_for(self, kind: str, step: str) -> bool:
        return bool(self.data.get("kind") == kind and self.data.get("step") == step)


def deadline_forms(rows: list[Any], posted: DeadlineForm | None) -> list[tuple[Any, DeadlineForm]]:
    """Each row with its form: the posted one (input kept) for the row it was for, else a new one."""
    return [
        (
            row,
            posted
            if posted is not None and posted.is_for(row.kind, row.step)
            else DeadlineForm(
                initial={"kind": row.kind, "step": row.step, "days": row.in_force, "version": row.version}
            ),
        )
        for row in rows
    ]
