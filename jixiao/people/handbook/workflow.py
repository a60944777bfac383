"""The transition table of a policy version (制度版本), as data.

HR writes a draft and submits it; the HR supervisor or the committee leader, never its author,
approves it or returns it with a reason; HR publishes an approved version, and the version it
replaces becomes superseded in the same step (``supersede``, applied by the publishing service).
HR may withdraw a submitted version to change it, and discard a draft or an approved version it
will not publish (with a reason). Creating a page or a version and editing a draft are
``policy.create``, ``policy_version.create`` and ``policy_version.update`` (services).
"""

from __future__ import annotations

from typing import Any

from jixiao.common.errors import JixiaoError
from jixiao.engine.text import Text
from jixiao.workflow.table import Transition, Workflow

from .models import PolicyVersion, State

S = State


def has_text(version: PolicyVersion, user: Any) -> None:
    """A version is submitted with some text."""
    if not (version.body or "").strip():
        raise JixiaoError(
            zh="正文是空的，写好后再提交。", en="The text is empty; write it before submitting.", code="empty",
            status=409,
        )  # fmt: skip


def based_on_current(version: PolicyVersion, user: Any) -> None:
    """A version is published over the text it started from: if another version was published
    meanwhile, this one would silently undo its changes."""
    if version.based_on_id != version.page.current_id:
        raise JixiaoError(
            zh="这一版不是在现行版本的基础上修订的（期间已发布了其他版本），请作废后从现行版本重新开始。",
            en="This version was not written from the current version (another one was published meanwhile); "
            "discard it and start again from the current version.",
            code="stale_base",
            status=409,
        )


POLICY_VERSION = Workflow(
    name="policy_version",
    model=PolicyVersion,
    field="state",
    labels={
        S.DRAFT: Text("草稿", "Draft"),
        S.SUBMITTED: Text("待审批", "Awaiting approval"),
        S.APPROVED: Text("已批准，待发布", "Approved, to publish"),
        S.PUBLISHED: Text("现行版本", "Current version"),
        S.SUPERSEDED: Text("已被新版本取代", "Superseded"),
        S.DISCARDED: Text("已作废", "Discarded"),
    },
    transitions=(
        Transition("submit", [S.DRAFT], S.SUBMITTED, "policy.write", Text("提交审批", "Submit for approval"),
                   guards=(has_text,)),
        Transition("withdraw", [S.SUBMITTED], S.DRAFT, "policy.write", Text("撤回修改", "Withdraw to change it")),
        Transition("return", [S.SUBMITTED], S.DRAFT, "policy_version.approve", Text("退回修改", "Return for changes"),
                   needs_reason=True),
        Transition("approve", [S.SUBMITTED], S.APPROVED, "policy_version.approve", Text("批准", "Approve")),
        Transition("publish", [S.APPROVED], S.PUBLISHED, "policy.publish", Text("发布", "Publish"),
                   guards=(based_on_current,)),
        Transition("supersede", [S.PUBLISHED], S.SUPERSEDED, "policy.publish",
                   Text("由新版本取代", "Replace by the new version")),
        Transition("discard", [S.DRAFT, S.APPROVED], S.DISCARDED, "policy.write", Text("作废", "Discard"),
                   needs_reason=True),
    ),
)  # fmt: skip
