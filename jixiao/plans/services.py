"""Write frameworks and plans: create, edit indicators, move through the approval chain,
comment and answer, record committee meetings. One transaction and one audit event each."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from jixiao.access.policy import require
from jixiao.audit.services import audit_record, snapshot
from jixiao.common.errors import Conflict, JixiaoError, Problem
from jixiao.org.models import Department, Position

from . import workflow
from .adapters import canonical_plan_content, document_findings, has_blocking
from .models import CommitteeMeeting, Framework, Plan, Revision, Status

Document = Plan | Framework
D = TypeVar("D", Plan, Framework)


def _kind(document: Document) -> str:
    return "plan" if isinstance(document, Plan) else "framework"


def _locked(document: Document, version: int | None) -> Any:
    fresh = type(document).objects.select_for_update().get(pk=document.pk)
    if version is not None and fresh.version != version:
        raise Conflict()
    return fresh


def _require_editable(document: Document) -> None:
    if not document.is_editable:
        raise JixiaoError(
            zh=f"“{document.get_status_display()}”状态的方案不能修改；如需修改请创建新版本。",
            en="Only a draft or a returned document can be edited; start a new version to change it.",
            code="not_editable",
            status=409,
        )


# -- creating ---------------------------------------------------------------------------


def framework_create(*, user: Any, code: str, name: str, content: dict[str, Any]) -> Framework:
    """Start a framework (version 1) from ``content`` (the TOML format as a dict)."""
    require(user, "framework.create")
    with transaction.atomic():
        if Framework.objects.filter(code=code).exists():
            raise JixiaoError(zh=f"编码“{code}”已被使用。", en=f"The code '{code}' is taken.")
        framework = Framework.objects.create(code=code, name=name, content=content, author=user)
        audit_record(
            actor=user,
            action="framework.create",
            obj=framework,
            after=snapshot(framework, ["code", "name", "content"]),
        )
    return framework


def plan_create(
    *,
    user: Any,
    department: Department,
    name: str,
    framework: Framework,
    content: dict[str, Any],
    positions: list[Position] | None = None,
    code: str = "",
) -> Plan:
    """Start a plan for ``department`` (or its ``positions``) under a published framework."""
    probe = Plan(department=department, author=user)
    require(user, "plan.edit", probe)
    if framework.status != Status.PUBLISHED:
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
        code = (
            code
            or f"{department.code}-{Plan.objects.filter(department=department).values('code').distinct().count() + 1}"
        )
        if Plan.objects.filter(code=code).exists():
            raise JixiaoError(zh=f"编码“{code}”已被使用。", en=f"The code '{code}' is taken.")
        plan = Plan.objects.create(
            code=code,
            name=name,
            department=department,
            framework=framework,
            content=canonical_plan_content(content),
            author=user,
        )
        plan.positions.set(positions or [])
        audit_record(
            actor=user,
            action="plan.create",
            obj=plan,
            after=snapshot(plan, ["code", "name", "department", "framework"]),
        )
    return plan


def document_new_version(*, user: Any, document: D) -> D:
    """Start the next version of a published document as an editable draft copy."""
    kind = _kind(document)
    require(user, f"{kind}.new_version", document)
    with transaction.atomic():
        newest = type(document).objects.filter(code=document.code).order_by("-number").first()
        if newest is not None and newest.status not in (Status.PUBLISHED, Status.SUPERSEDED):
            raise JixiaoError(
                zh=f"已有未发布的版本 v{newest.number}，请在该版本上修改。",
                en=f"Version {newest.number} is not published yet; edit that one.",
            )
        # A fresh instance: a copy of ``document`` would share its prefetch cache, and the
        # positions of the new version would then look already set.
        copy_: D = type(document).objects.get(pk=document.pk)
        copy_.pk = None
        copy_.id = None
        copy_.number = (newest.number if newest else document.number) + 1
        copy_.status = Status.DRAFT
        copy_.author = user
        copy_.meeting = None
        copy_.published_at = None
        copy_.effective_from = ""
        copy_.version = 1
        copy_.content = copy.deepcopy(document.content)
        copy_.save()
        if isinstance(copy_, Plan):
            copy_.positions.set(
                list(
                    Plan.positions.through.objects.filter(plan_id=document.pk).values_list(
                        "position_id", flat=True
                    )
                )
            )
        audit_record(
            actor=user,
            action=f"{kind}.new_version",
            obj=copy_,
            after={"from": document.pk, "number": copy_.number},
        )
    return copy_


# -- editing ----------------------------------------------------------------------------


def document_save_content(*, user: Any, document: D, content: dict[str, Any], version: int | None) -> D:
    """Replace the whole content (file import, or the framework form) of an editable document."""
    kind = _kind(document)
    require(user, f"{kind}.edit", document)
    with transaction.atomic():
        fresh: D = _locked(document, version)
        _require_editable(fresh)
        before = fresh.content
        appraisal = isinstance(fresh, Plan) and fresh.kind == Plan.Kind.APPRAISAL
        fresh.content = canonical_plan_content(content) if appraisal else content
        fresh.version += 1
        fresh.save(update_fields=["content", "version", "updated_at"])
        audit_record(
            actor=user,
            action=f"{kind}.edit",
            obj=fresh,
            before={"content": before},
            after={"content": content},
        )
    return fresh


def plan_indicator_save(
    *, user: Any, plan: Plan, index: int | None, indicator: dict[str, Any], version: int | None
) -> Plan:
    """Insert (``index`` None) or replace one indicator of an editable plan."""
    require(user, "plan.edit", plan)
    with transaction.atomic():
        fresh: Plan = _locked(plan, version)
        _require_editable(fresh)
        indicators = list(fresh.content.get("indicators", []))
        if index is not None and not 0 <= index < len(indicators):
            raise JixiaoError(
                zh="该指标已不存在，请刷新页面。",
                en="That indicator no longer exists; reload the page.",
                status=409,
            )
        before = indicators[index] if index is not None else None
        if index is None:
            indicators.append(indicator)
        else:
            indicators[index] = indicator
        fresh.content = {**fresh.content, "indicators": indicators}
        fresh.version += 1
        fresh.save(update_fields=["content", "version", "updated_at"])
        audit_record(
            actor=user,
            action="plan.indicator_save",
            obj=fresh,
            before={"index": index, "indicator": before},
            after={"index": index if index is not None else len(indicators) - 1, "indicator": indicator},
        )
    return fresh


def plan_indicator_delete(*, user: Any, plan: Plan, index: int, version: int | None) -> Plan:
    require(user, "plan.edit", plan)
    with transaction.atomic():
        fresh: Plan = _locked(plan, version)
        _require_editable(fresh)
        indicators = list(fresh.content.get("indicators", []))
        if not 0 <= index < len(indicators):
            raise JixiaoError(
                zh="该指标已不存在，请刷新页面。",
                en="That indicator no longer exists; reload the page.",
                status=409,
            )
        removed = indicators.pop(index)
        fresh.content = {**fresh.content, "indicators": indicators}
        fresh.version += 1
        fresh.save(update_fields=["content", "version", "updated_at"])
        audit_record(
            actor=user,
            action="plan.indicator_delete",
            obj=fresh,
            before={"index": index, "indicator": removed},
        )
    return fresh


# -- the approval chain -----------------------------------------------------------------


def document_transition(
    *,
    user: Any,
    document: D,
    action: str,
    note: str = "",
    meeting: CommitteeMeeting | None = None,
    effective_from: str = "",
) -> D:
    """Move ``document`` one step along the chain (see :mod:`workflow`), audited with its reason."""
    kind = _kind(document)
    transitions = workflow.PLAN_TRANSITIONS if kind == "plan" else workflow.FRAMEWORK_TRANSITIONS
    step = workflow.find(transitions, action)
    if step is None:
        raise JixiaoError(zh=f"未知操作“{action}”。", en=f"Unknown action '{action}'.")
    require(user, step.permission, document)
    with transaction.atomic():
        fresh: D = _locked(document, None)
        _check_step(fresh, step, note, meeting, effective_from)
        before = fresh.status
        fresh.status = step.target
        fresh.version += 1
        fields = ["status", "version", "updated_at"]
        if step.action == "submit":
            _snapshot_revision(user, fresh)
        if meeting is not None:
            fresh.meeting = meeting
            fields.append("meeting")
        if step.publishes:
            _supersede_previous(user, fresh)
            fresh.published_at = timezone.now()
            fresh.effective_from = effective_from
            fields += ["published_at", "effective_from"]
        fresh.save(update_fields=fields)
        audit_record(
            actor=user,
            action=f"{kind}.{action}",
            obj=fresh,
            before={"status": before},
            after={
                "status": fresh.status,
                "meeting": meeting.pk if meeting else None,
                "effective_from": effective_from,
            },
            reason=note,
        )
    return fresh


def _check_step(
    document: Document,
    step: workflow.Transition,
    note: str,
    meeting: CommitteeMeeting | None,
    effective_from: str,
) -> None:
    if document.status not in step.sources:
        raise JixiaoError(
            zh=f"当前状态“{document.get_status_display()}”不能执行“{step.label_zh}”。",
            en=f"'{step.label_en}' is not possible in state '{document.status}'.",
            status=409,
        )
    if step.needs_note and not note.strip():
        raise JixiaoError(zh="退回时请写明原因。", en="Say why when returning a document.")
    if step.needs_meeting and meeting is None:
        raise JixiaoError(
            zh="请选择作出该决定的考核小组会议。", en="Choose the committee meeting that decided this."
        )
    if step.publishes and not _valid_cycle(effective_from):
        raise JixiaoError(
            zh="请填写生效周期，格式 2026-01。", en="Give the cycle it takes effect from, as 2026-01."
        )
    if step.action == "submit":
        findings = document_findings(document)
        if has_blocking(findings):
            raise JixiaoError(
                zh="还有阻止提交的问题，请先修改。",
                en="Blocking problems remain; fix them first.",
                problems=[
                    Problem(zh=f.message_zh, en=f.message_en, where=f.where)
                    for f in findings
                    if f.severity == "blocking"
                ],
            )


def _valid_cycle(text: str) -> bool:
    year, _, month = text.partition("-")
    return len(text) == 7 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12


def _snapshot_revision(user: Any, document: Document) -> None:
    owner = {"plan": document} if isinstance(document, Plan) else {"framework": document}
    rounds = Revision.objects.filter(**owner).count()
    Revision.objects.create(
        **owner, round=rounds + 1, content=copy.deepcopy(document.content), submitted_by=user
    )


def _supersede_previous(user: Any, document: Document) -> None:
    previous = (
        type(document).objects.filter(code=document.code, status=Status.PUBLISHED).exclude(pk=document.pk)
    )
    for old in previous.select_for_update():
        old.status = Status.SUPERSEDED
        old.version += 1
        old.save(update_fields=["status", "version", "updated_at"])
        audit_record(actor=user, action=f"{_kind(old)}.supersede", obj=old, after={"by": document.pk})
