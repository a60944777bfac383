"""The impact preview page (方案影响预览) and its section on the plan page: one page selector each,
through ``access`` (``plan.view`` finds the plan or 404, ``plan.impact`` lets the user see the
preview or 403, ``plan.impact_pay`` decides whether the money columns are there at all)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from jixiao.access.actor import ActingUser
from jixiao.access.policy import can, require
from jixiao.audit.exports import Download
from jixiao.common.errors import JixiaoError
from jixiao.common.figures import Section
from jixiao.engine.text import Text
from jixiao.plans.models import Plan
from jixiao.plans.selectors import plan_get

from .figures import sections_of
from .preview import N_DEFAULT, N_MAX, Impact, impact_of, parse_n


@dataclass
class ImpactPage:
    plan: Plan
    n: int
    pay_visible: bool
    impact: Impact | None = None
    sections: list[Section] = field(default_factory=list)
    error: str = ""
    status: int = 200
    choices: tuple[int, ...] = tuple(range(1, N_MAX + 1))

    @property
    def rows(self) -> int:
        return len(self.impact.rows) if self.impact else 0

    @property
    def export_url(self) -> str:
        return f"{reverse('impact:plan_xlsx', args=[self.plan.pk])}?n={self.n}"

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def brief(self) -> list[Section]:
        """What the plan page shows: the summary, the grade distribution and who changes grade."""
        return [s for s in self.sections if s.key in {"summary", "distribution", "movers"}]

    def download(self) -> Download:
        plan = self.plan
        return Download(
            title=Text(
                f"方案影响预览：{plan.name} 第 {plan.number} 版",
                f"Plan impact preview: {plan.name} v{plan.number}",
            ),
            sections=self.sections,
            filename=f"plan-impact-{plan.pk}-v{plan.number}.xlsx",
            what="reports.impact",
            scope=f"department:{plan.department_id}",
            rows=self.rows,
        )


def impact_page(*, user: ActingUser, pk: int, n: Any = None) -> ImpactPage:
    """The preview of plan version ``pk`` on its last ``n`` closed cycles (3 when not given).

    A refused ``n`` (not a whole number from 1 to 12), or a version the engine cannot read or
    score, gives the page with the refusal (``error``, ``status`` 400) and no figures.
    """
    plan = plan_get(user=user, pk=pk)
    require(user, "plan.impact", plan)
    pay = can(user, "plan.impact_pay", plan)
    page = ImpactPage(plan=plan, n=N_DEFAULT, pay_visible=pay)
    try:
        page.n = parse_n(n)
        page.impact = impact_of(plan, page.n)
    except JixiaoError as error:
        page.error, page.status = error.text(), error.status
        return page
    page.sections = sections_of(plan, page.impact, pay=pay)
    return page
