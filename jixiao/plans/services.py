"""Write frameworks and plans: create, start a new version, edit the content of a draft.

Moving a document along the approval chain, comments, answers and meetings are in
:mod:`.reviews`. Every write goes through the primitives (``audited_create``, ``audited_write``):
one transaction and one audit event each; a stale edit is a 409 that keeps the user's input.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import transaction

from jixiao.access.actor import ActingUser
from jixiao.access.policy import require
from jixiao.common.errors import JixiaoError
from jixiao.org.models import Department, Position
from jixiao.workflow.services import audited_create, audited_write

from .adapters import canonical_plan_content
from .models import EDITABLE, RELEASED, Framework, Plan, Status
from .workflow import workflow_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Document = Plan | Framework
D = TypeVar("D", Plan, Framework)


def person(user: ActingUser) -> User:
    """The user a record names as its author (the access rules let only logged-in people write)."""
    return cast("User", user)


def kind_of(document: Document) -> str:
    return "plan" if isinstance(document, Plan) else "framework"


def _require_editable(document: Document) -> None:
    if not document.is_editable:
        raise JixiaoError(
            zh=f"“{document.get_status_display()}”状态的方案不能修改；如需修改请创建新版本。",
            en="Only a draft or a returned document can be edited; start a new version to change it.",
            code="not_editable",
            status=409,
        )


def _code_free(model: type[Plan] | type[Framework], code: str) -> None:
    if model.objects.filter(code=code).exists():
        raise JixiaoError(zh=f"编码“{code}”已被使用。", en=f"The code '{code}' is taken.")


# -- creating ---------------------------------------------------------------------------


def framework_create(*, user: ActingUser, code: str, name: str, content: dict[str, Any]) -> Framework:
    """Start a framework (version 1) from ``content`` (the TOML format as a dict)."""
    require(user, "framework.create")
    with transaction.atomic():
        _code_free(Framework, code)
        framework = Framework(code=code, name=name, content=content, author=person(user))
        return audited_create(
            user=user, obj=framework, action="framework.create", fields=["code", "name", "content"]
        )


def plan_create(
    *,
    user: ActingUser,
    department: Department,
    name: str,
    framework: Framework,
    content: dict[str, Any],
    positions: list[Position] | None = None,
    code: str = "",
) -> Plan:
    """Start a plan for ``department`` (or its ``positions``) under a published framework."""
    require(user, "plan.edit", Plan(department=department, author=person(user)))
    if not framework.is_published:
        raise JixiaoError(
            zh="只能在已发布的考核总框架下制定细则。", en="A plan must follow a published framework."
        )
    wrong = [p.title for p in positions or [] if p.department_id != department.pk]
    if wrong:
        raise JixiaoError(
            zh=f"岗位{'、'.join(wrong)}不属于{department.name}。",
            en=f"Positions {', '.join(wrong)} are not in {department.name}.",
        )
    with transaction.atomic():
        codes = Plan.objects.filter(department=department).values("code").distinct().count()
        code = code or f"{department.code}-{codes + 1}"
        _code_free(Plan, code)
        plan = Plan(
            code=code,
            name=name,
            department=department,
            framework=framework,
            content=canonical_plan_content(content),
            author=person(user),
        )
        audited_create(
            user=user, obj=plan, action="plan.create", fields=["code", "name", "department", "framework"]
        )
        plan.positions.set(positions or [])
    return plan


def document_new_version(*, user: ActingUser, document: D) -> D:
    """Start the next version of a published document as an editable draft copy."""
    kind = kind_of(document)
    require(user, f"{kind}.new_version", document)
    with transaction.atomic():
        newest = type(document).objects.filter(code=document.code).order_by("-number").first()
        if newest is not None and newest.status not in RELEASED:
            raise JixiaoError(
                zh=f"已有未发布的版本 v{newest.number}，请在该版本上修改。",
                en=f"Version {newest.number} is not published yet; edit that one.",
            )
        # A fresh instance: a copy of ``document`` would share its prefetch cache, and the
        # positions of the new version would then look already set.
        draft: D = type(document).objects.get(pk=document.pk)
        draft.pk = draft.id = None
        draft.number = (newest.number if newest else document.number) + 1
        draft.status = Status.DRAFT
        draft.author = person(user)
        draft.meeting = None
        draft.published_at = None
        draft.effective_from = ""
        draft.version = 1
        draft.content = copy.deepcopy(document.content)
        audited_create(user=user, obj=draft, action=f"{kind}.new_version", fields=["code", "number"])
        if isinstance(draft, Plan):
            through = Plan.positions.through.objects.filter(plan_id=document.pk)
            draft.positions.set(list(through.values_list("position_id", flat=True)))
    return draft


# -- editing a draft --------------------------------------------------------------------


def _edit(*, user: ActingUser, document: D, action: str, change: Any, version: int | None) -> D:
    """Apply ``change`` to the content of an editable document: lock, version check (409
    keeps the input), the state check under the lock, one audit event with what changed."""
    kind = kind_of(document)
    require(user, f"{kind}.edit", document)
    _require_editable(document)
    return audited_write(
        user=user,
        obj=document,
        action=f"{kind}.{action}",
        change=change,
        expected_version=version,
        states=EDITABLE,
        workflow=workflow_of(document),
        fields=["content"],
    )


def document_save_content(
    *, user: ActingUser, document: D, content: dict[str, Any], version: int | None
) -> D:
    """Replace the whole content (file import, or the framework form) of an editable document."""

    def replace(fresh: D) -> None:
        appraisal = isinstance(fresh, Plan) and fresh.is_appraisal
        fresh.content = canonical_plan_content(content) if appraisal else content

    return _edit(user=user, document=document, action="edit", change=replace, version=version)


def _indicators(plan: Plan, index: int | None) -> list[dict[str, Any]]:
    indicators = list(plan.content.get("indicators", []))
    if index is not None and not 0 <= index < len(indicators):
        raise JixiaoError(
            zh="该指标已不存在，请刷新页面。",
            en="That indicator no longer exists; reload the page.",
            status=409,
        )
    return indicators


def _levels_merged(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rubric levels as edited, each keeping what the editor does not show (its English
    name and description) from the stored level with the same key."""
    before = {lv.get("key"): lv for lv in old if isinstance(lv, dict)}
    return [{**before.get(lv.get("key"), {}), **lv} for lv in new]


def indicator_merged(old: dict[str, Any], new: dict[str, Any], shown: Iterable[str]) -> dict[str, Any]:
    """The stored indicator ``old`` edited by a form that shows the keys ``shown`` and gave ``new``.

    A key the form shows takes the form's value (gone when the form left it empty); every key the
    form does not show (``name_en``, ``description_en``, …) is kept as it was.
    """
    shown = set(shown)
    merged = {k: v for k, v in old.items() if k not in shown}
    merged.update(new)
    if "levels" in new and old.get("levels"):
        merged["levels"] = _levels_merged(old["levels"], new["levels"])
    return merged


def plan_indicator_save(
    *,
    user: ActingUser,
    plan: Plan,
    index: int | None,
    indicator: dict[str, Any],
    version: int | None,
    shown: Iterable[str] | None = None,
) -> Plan:
    """Insert (``index`` None) or change one indicator of an editable plan. With ``shown`` (the
    keys the editor's row shows) the stored indicator is merged, not replaced: what the row does
    not show survives (``indicator_merged``)."""

    def put(fresh: Plan) -> None:
        indicators = _indicators(fresh, index)
        if index is None:
            indicators.append(indicator)
        elif shown is None:
            indicators[index] = indicator
        else:
            indicators[index] = indicator_merged(indicators[index], indicator, shown)
        fresh.content = {**fresh.content, "indicators": indicators}

    return _edit(user=user, document=plan, action="indicator_save", change=put, version=version)


def plan_indicator_delete(*, user: ActingUser, plan: Plan, index: int, version: int | None) -> Plan:
    """Remove the indicator at ``index`` of an editable plan."""

    def remove(fresh: Plan) -> None:
        indicators = _indicators(fresh, index)
        indicators.pop(index)
        fresh.content = {**fresh.content, "indicators": indicators}

    return _edit(user=user, document=plan, action="indicator_delete", change=remove, version=version)
