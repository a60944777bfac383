"""``jixiao lint FILE.toml [--framework FILE]``: check a framework, plan or pay plan file.

Prints each finding in Chinese with the English beneath, and exits 1 when any finding is
blocking (or the file cannot be read). A plan is checked against ``--framework`` (default:
the default framework shipped in ``jixiao/plans/data``). A thin wrapper over ``jixiao.engine.lint``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.engine.lint import Finding, has_blocking, lint_framework, lint_plan
from jixiao.engine.lint_bonus import lint_bonus_plan
from jixiao.engine.pay_types import PayPlan
from jixiao.engine.toml_format import FormatError, load_document, load_framework
from jixiao.engine.types import Framework, Plan, Severity

DEFAULT_FRAMEWORK = Path(__file__).resolve().parents[2] / "data" / "framework.toml"


class Command(BaseCommand):
    help = "Check a framework, department plan or pay plan TOML file. 检查考核框架、细则或薪酬方案文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="framework, plan or pay plan TOML file")
        parser.add_argument(
            "--framework",
            default=str(DEFAULT_FRAMEWORK),
            help="framework TOML to check a plan against (default: the shipped default framework)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            document = load_document(_read(path))
            findings, kind = self.findings(document, Path(options["framework"]))
        except FormatError as error:
            raise CommandError(
                f"{path}: {error.path or '文件 file'}: {error.message_zh} / {error.message_en}", returncode=1
            ) from None
        self.stdout.write(f"{path} — {kind}")
        for finding in findings:
            self.stdout.write(_render(finding))
        blocking = sum(f.severity is Severity.BLOCKING for f in findings)
        warnings = len(findings) - blocking
        summary = (
            f"共 {len(findings)} 项：阻止 {blocking} 项，提醒 {warnings} 项 / "
            f"{len(findings)} findings: {blocking} blocking, {warnings} warnings"
        )
        if has_blocking(findings):
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary if findings else "没有发现问题 / no findings")

    def findings(
        self, document: Framework | Plan | PayPlan, framework_path: Path
    ) -> tuple[list[Finding], str]:
        if isinstance(document, Framework):
            return lint_framework(document), "考核总框架 framework"
        if isinstance(document, Plan):
            framework = load_framework(_read(framework_path))
            return lint_plan(document, framework), f"考核细则 plan (框架 framework: {framework.key})"
        bonus = document.annual_bonus
        return (lint_bonus_plan(bonus) if bonus else []), "薪酬方案 pay plan"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"无法读取 cannot read {path}: {error.strerror}", returncode=1) from None


def _render(finding: Finding) -> str:
    level = "阻止 BLOCKING" if finding.severity is Severity.BLOCKING else "提醒 warning"
    where = f"{finding.where} ({finding.item})" if finding.item else finding.where
    lines = [f"[{level}] {finding.code} @ {where}", f"    {finding.message_zh}", f"    {finding.message_en}"]
    if finding.fix_zh or finding.fix_en:
        lines.append(f"    建议：{finding.fix_zh}")
        lines.append(f"    fix: {finding.fix_en}")
    return "\n".join(lines)
