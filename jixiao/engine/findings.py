"""Findings (检查结果): what lint reports, with where, why and how to fix, in two languages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .money import plain
from .types import Severity

B, W = Severity.BLOCKING, Severity.WARNING  # the two severities, short for the check tables


@dataclass(frozen=True)
class Finding:
    """One finding (检查结果)."""

    code: str
    where: str
    severity: Severity
    message_zh: str
    message_en: str
    fix_zh: str = ""
    fix_en: str = ""
    item: str = ""

    def render(self, lang: str = "zh") -> str:
        level = {"zh": {B: "阻止", W: "提醒"}, "en": {B: "BLOCKING", W: "warning"}}[lang][self.severity]
        msg, fix = (self.message_zh, self.fix_zh) if lang == "zh" else (self.message_en, self.fix_en)
        label = f"{self.where} ({self.item})" if self.item else self.where
        head = f"[{level}] {self.code} @ {label}: {msg}"
        return f"{head}\n    {'建议' if lang == 'zh' else 'fix'}: {fix}" if fix else head


def has_blocking(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.BLOCKING for f in findings)


def p(value: Decimal) -> str:
    return plain(value)


class Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        code: str,
        where: str,
        severity: Severity,
        zh: str,
        en: str,
        fix_zh: str = "",
        fix_en: str = "",
        item: str = "",
    ) -> None:
        self.findings.append(Finding(code, where, severity, zh, en, fix_zh, fix_en, item))
