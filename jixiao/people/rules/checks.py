"""The lint of a rule set against the company framework (its grades, its highest total) and the
second-approval threshold: the engine checks, this module gathers what it checks against."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from jixiao.common.errors import JixiaoError
from jixiao.engine.findings import Finding
from jixiao.engine.people_rules import GradeBand, LintScope, RuleSpec, lint_rules
from jixiao.engine.text import Text
from jixiao.engine.types import Severity
from jixiao.pay.bounds import second_approval_fen
from jixiao.plans.adapters import engine_framework
from jixiao.plans.models import Framework, Status

from .models import Rule, RuleSet


def lint_scope() -> LintScope:
    """The grades (best first) and the highest total of the latest published framework."""
    framework = (
        Framework.objects.filter(status=Status.PUBLISHED)
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
        .first()
    )
    try:
        parsed = engine_framework(framework) if framework is not None else None
    except Exception:  # a framework that no longer parses: lint against no grades
        parsed = None
    if parsed is None:
        return LintScope(grades=(), total_max=None, second_approval_fen=second_approval_fen())
    bands: list[GradeBand] = []
    higher: Decimal | None = None
    for index, grade in enumerate(parsed.grades):
        low = Decimal(0) if index == len(parsed.grades) - 1 else grade.min_score
        bands.append(GradeBand(grade.key, low, higher))
        higher = grade.min_score
    top = parsed.scale_max + parsed.bonus_cap if parsed.bonus_cap is not None else None
    return LintScope(grades=tuple(bands), total_max=top, second_approval_fen=second_approval_fen())


@dataclass(frozen=True)
class LintItem:
    """A finding as the rule set page shows it, with the rule it points at."""

    finding: Finding
    rule: Rule | None

    @property
    def blocking(self) -> bool:
        return self.finding.severity == "blocking"


def rule_set_findings(rule_set: RuleSet, rules: list[Rule] | None = None) -> list[LintItem]:
    """Every finding of the rule set (a stored condition that no longer parses is one too)."""
    rules = list(rule_set.rules.all()) if rules is None else rules
    specs: list[RuleSpec] = []
    kept: list[Rule] = []
    items: list[LintItem] = []
    for rule in rules:
        spec = rule.spec
        if spec is None:
            finding = Finding(
                "rules.syntax",
                "rules",
                Severity.BLOCKING,
                Text("条件无法解析", "the condition does not parse"),
            )
            items.append(LintItem(finding, rule))
            continue
        specs.append(spec)
        kept.append(rule)
    for finding in lint_rules(specs, lint_scope()):
        items.append(LintItem(finding, _rule_of(finding, kept)))
    return items


def _rule_of(finding: Finding, rules: list[Rule]) -> Rule | None:
    """The rule a finding's path (``rules[2].condition``) points at."""
    if not finding.where.startswith("rules["):
        return None
    head = finding.where[len("rules[") :].split("]", 1)[0]
    return rules[int(head)] if head.isdigit() and int(head) < len(rules) else None


def lint_clean(rule_set: RuleSet, user: object) -> None:
    """A guard: refuse while the rule set has a blocking finding."""
    blocking = [item for item in rule_set_findings(rule_set) if item.blocking]
    if blocking:
        count = len(blocking)
        raise JixiaoError(
            zh=f"规则集还有 {count} 个须修正的问题（见“检查结果”），修正后才能提交或生效。",
            en=f"The rule set has {count} blocking finding(s) (see “Checks”): fix them before submitting "
            "or activating it.",
            code="lint",
            status=409,
        )
