"""The guard the cycle's transition table lists on ``verify`` and ``publish`` (§3 校准).

With enforced quotas (``quota_enforced``) the committee cannot verify, nor HR publish, until
every non-exempt *department* meets them; advisory quotas only show on the calibration page.
Listed in the rows of ``cycles/lifecycle/workflow.py``; it registers nothing.
"""

from __future__ import annotations

from jixiao.access.actor import ActingUser
from jixiao.common.errors import JixiaoError
from jixiao.cycles.lifecycle.models import Cycle

from .selectors import quota_problems


def quotas_met(cycle: Cycle, user: ActingUser | None = None) -> None:
    """Refuse (409) while an enforced quota is not met, naming each group, grade and count."""
    problems = quota_problems(cycle)
    if problems:
        raise JixiaoError(
            zh="强制分布配额未满足，请先校准：" + "；".join(p.zh for p in problems) + "。",
            en="Enforced distribution quotas are not met; calibrate first: "
            + "; ".join(p.en for p in problems)
            + ".",
            code="quota",
            status=409,
        )
