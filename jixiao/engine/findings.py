"""Findings (检查结果): what lint reports, with where, why and how to fix, in two languages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .money import plain
from .text import Language, Text
from .types import Severity

NO_FIX = Text("")
B, W = Severity.BLOCKING, Severity.WARNING  # the two severities, short for the check tables


@dataclass(frozen=True)
class Finding:
    """One finding (检查结果)."""

    code: str
    where: str
    severity: Severity
    message: Text
    fix: Text = NO_FIX
    item: str = ""

    # The two languages one by one, for callers that show both (the lint command, templates).
    @property
    def message_zh(self) -> str:
        return self.message.zh

    @property
    def message_en(self) -> str:
        return self.message.render("en")

    @property
    def fix_zh(self) -> str:
        return self.fix.zh

    @property
    def fix_en(self) -> str:
        return self.fix.render("en") if self.fix.zh else ""

    def render(self, lang: str = "zh") -> str:
        language: Language = "en" if lang == "en" else "zh"
        level = {"zh": {B: "阻止", W: "提醒"}, "en": {B: "BLOCKING", W: "warning"}}[language][self.severity]
        msg, fix = self.message.render(language), self.fix.render(language)
        label = f"{self.where} ({self.item})" if self.item else self.where
        head = f"[{level}] {self.code} @ {label}: {msg}"
        return f"{head}\n    {'建议' if language == 'zh' else 'fix'}: {fix}" if fix else head


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
        self.findings.append(Finding(code, where, severity, Text(zh, en), Text(fix_zh, fix_en), item))
