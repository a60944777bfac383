"""The labels table (issue 11 item 5): every code by its label, in the page's language."""

from __future__ import annotations

from django.utils import translation

from jixiao.common.labels import LABELS, action_label, label, labels, lint_path, object_noun, quantity
from jixiao.engine import types as engine


def test_every_engine_code_has_a_label_in_both_languages() -> None:
    for enum, domain in (
        (engine.Kind, "kind"),
        (engine.Source, "source"),
        (engine.Rater, "rater"),
        (engine.BonusMode, "bonus_mode"),
        (engine.Severity, "severity"),
        (engine.MeasureKind, "measure_kind"),
        (engine.MissingData, "missing_data"),
    ):
        for member in enum:
            text = LABELS[domain][member.value]
            assert text.zh and text.en and text.zh != member.value, (domain, member)


def test_codes_render_in_the_page_language() -> None:
    with translation.override("zh-hans"):
        assert label("inverse_ratio", "kind") == "反比（越低越好）"
        assert labels(["peer", "manager"], "rater") == "互评、上级评分"
        assert label("bracket", "bonus_mode") == "全额累进"
    with translation.override("en"):
        assert label("inverse_ratio", "kind") == "Inverse ratio (lower is better)"
        assert labels(["peer", "manager"], "rater") == "Peers, Manager"


def test_lint_paths_read_as_words() -> None:
    assert lint_path("tiers[1].lower").zh == "第 2 档下限"
    assert lint_path("tiers[1].lower").render("en") == "tier 2, lower bound"
    assert lint_path("indicators[0].weight").zh == "第 1 个指标权重"
    assert lint_path("name_en").zh == "英文名称"


def test_audit_actions_and_objects_read_as_words() -> None:
    assert action_label("plan.hr_return").zh == "考核方案：人力资源部退回"
    assert action_label("plan.hr_return").render("en") == "Plan: returned by HR"
    assert action_label("auth.login").zh == "登录"
    assert object_noun("cycles.cycle").zh == "考核周期"


def test_a_percent_quantity_reads_as_a_percent() -> None:
    assert quantity("0.30", "%") == "30 %"
    assert quantity("0.0005", "%") == "0.05 %"
    assert quantity("30%", "%") == "30 %"
    assert quantity("0.3006993006993006993", "%") == "30.07 %"
    with translation.override("zh-hans"):
        assert quantity("30", "秒") == "30 秒"
    with translation.override("en"):
        assert quantity("30", "秒") == "30 s"
    assert quantity(None, "%") == ""


def test_every_audit_action_written_in_the_code_has_a_label() -> None:
    """Each ``action="noun.verb"`` a service passes to the audit primitives, and each transition of
    every workflow table, reads as words on the audit log page in both languages, never as its code."""
    import re
    from pathlib import Path

    from jixiao.workflow.tests.test_every_table import every_table

    root = Path(__file__).resolve().parents[2]
    written = {
        m.group(1)
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for m in re.finditer(r'action="([a-z_]+\.[a-z_]+)"', path.read_text("utf-8"))
    }
    written |= {f"{t.name}.{row.action}" for t in every_table() for row in t.transitions}
    raw = sorted(a for a in written if action_label(a).zh == a or not action_label(a).render("en"))
    assert not raw, f"audit actions without a label in common/labels.py: {raw}"
