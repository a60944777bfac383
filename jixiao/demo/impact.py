"""The demo's plan versions under review, for the plan-impact preview (issue 14).

The marketing director starts version 2 of the managers' plan — receivables collection weighs 20
instead of 15, the competitor research 5 instead of 10 (cash before reports) — and submits it; it
waits for HR's review, and its page shows what it would have done to the managers over the last
closed months (on the default three months nobody changes grade; over six, one does). The
production plan's version 2 (a higher output target, from the plans demo) waits for the committee
with its own preview: several people drop from A to B, moved by 产量完成率.

Customer service keeps a single published version: the plan journey starts its next version.
Everything goes through the services the director uses in the browser.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from jixiao.plans import reviews, services
from jixiao.plans.models import Plan, Status

from .story import Story

WEIGHTS = {"collection": "20", "research": "5"}
NOTE = "回款优先：应收账款回收率权重由 15 调为 20，竞品调查与书面报告由 10 调为 5，请评审。"


def load_impact(day: Story) -> None:
    """Submit a new version of the marketing plan, so HR sees its impact before reviewing it."""
    director = get_user_model().objects.get(username="mkt_director")
    published = Plan.objects.get(department__code="MKT", kind=Plan.Kind.APPRAISAL, status=Status.PUBLISHED)
    draft = services.document_new_version(user=director, document=published)
    for key, weight in WEIGHTS.items():
        draft.refresh_from_db()
        index = next(i for i, ind in enumerate(draft.content["indicators"]) if ind["key"] == key)
        indicator = {**draft.content["indicators"][index], "weight": weight}
        draft = services.plan_indicator_save(
            user=director, plan=draft, index=index, indicator=indicator, version=draft.version
        )
    draft.refresh_from_db()
    reviews.document_transition(user=director, document=draft, action="submit", note=NOTE)
