"""Map stored frameworks and plans into the engine's dataclasses, and lint them.

A document's ``content`` is the inner table of its TOML file (``[plan]`` or ``[framework]``,
see ``docs/formats.md``); the code, name and framework come from the row so they cannot
disagree with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jixiao.engine import pay_types, toml_format
from jixiao.engine import types as engine
from jixiao.engine.lint import Finding, lint_framework, lint_plan
from jixiao.engine.lint import has_blocking as _has_blocking
from jixiao.engine.lint_bonus import lint_bonus_plan
from jixiao.engine.text import Text

if TYPE_CHECKING:
    from .models import Framework, Plan


def canonical_plan_content(value: Any) -> Any:
    """Numbers in a plan's content stored as exact decimal text (``30`` → ``"30"``), so that a
    plan read from TOML, Excel or the editor is the same content and compares equal."""
    if isinstance(value, dict):
        return {key: canonical_plan_content(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical_plan_content(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def framework_table(framework: Framework) -> dict[str, Any]:
    return {
        **framework.content,
        "key": framework.code,
        "name_zh": framework.name,
        "version": framework.number,
    }


def plan_table(plan: Plan) -> dict[str, Any]:
    positions = [p.code for p in plan.positions.all()] if plan.pk else []
    return {
        **plan.content,
        "key": plan.code,
        "name_zh": plan.name,
        "framework": plan.framework.code,
        "department": plan.department.code,
        "positions": positions,
        "version": plan.number,
    }


def engine_framework(framework: Framework) -> engine.Framework:
    return toml_format.framework_from_dict({"framework": framework_table(framework)})


def engine_pay(plan: Plan) -> pay_types.PayPlan:
    table = {**plan.content, "key": plan.code, "name_zh": plan.name, "department": plan.department.name}
    return toml_format.pay_from_dict({"pay": table})


def engine_plan(plan: Plan) -> engine.Plan:
    return toml_format.plan_from_dict({"plan": plan_table(plan)})


def document_findings(document: Plan | Framework) -> list[Finding]:
    """Lint a plan against its framework, or a framework on its own; a document the engine
    cannot even read yields one blocking finding that names the offending path."""
    from .models import Plan

    try:
        if isinstance(document, Plan) and document.kind == "pay":
            pay = engine_pay(document)
            return lint_bonus_plan(pay.annual_bonus) if pay.annual_bonus else []
        if isinstance(document, Plan):
            return lint_plan(engine_plan(document), engine_framework(document.framework))
        return lint_framework(engine_framework(document))
    except toml_format.FormatError as error:
        return [
            Finding(
                code="format",
                where=error.path,
                severity=engine.Severity.BLOCKING,
                message=Text(error.message_zh, error.message_en),
                fix=Text("按提示修改该项。", "Correct that value."),
            )
        ]


def has_blocking(findings: list[Finding]) -> bool:
    return _has_blocking(findings)
