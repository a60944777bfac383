"""``jixiao lint FILE.toml``: findings in Chinese and English, exit 1 when any is blocking."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO = Path(__file__).resolve().parents[2] / "demo" / "data"


def run(*args: str) -> tuple[str, CommandError | None]:
    out = StringIO()
    try:
        call_command("lint", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_the_source_marketing_pay_plan_is_blocked_with_its_findings() -> None:
    out, error = run(str(DEMO / "pay_marketing.toml"))
    assert error is not None and error.returncode == 1
    assert "4 blocking, 3 warnings" in str(error)
    assert "bonus.rates_sum" in out and "4%（市场总监） + 2 × 0.05%（市场经理） = 4.1%" in out
    assert "市场经理的比例可能应为 0.5%" in out and "probably meant to be 0.5%" in out
    assert out.count("bonus.bound_ambiguous") == 3
    assert "+60,000.00" in out and "+80,000.00" in out and "+100,000.00" in out


@pytest.mark.parametrize("name", ["plan_customer_service.toml", "plan_production.toml", "framework.toml"])
def test_the_demo_plans_and_framework_pass(name: str) -> None:
    out, error = run(str(DATA / name))
    assert error is None, out
    assert "no findings" in out or "0 blocking" in out


def test_a_plan_whose_weights_do_not_add_up_is_blocked(tmp_path: Path) -> None:
    text = (
        (DATA / "plan_customer_service.toml")
        .read_text(encoding="utf-8")
        .replace("weight = 30", "weight = 35", 1)
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    out, error = run(str(plan), "--framework", str(DATA / "framework.toml"))
    assert error is not None and error.returncode == 1
    assert "plan.weights_sum" in out and "105" in out and "减少 5 分的权重" in out


def test_a_plan_is_checked_against_the_framework_given(tmp_path: Path) -> None:
    strict = (
        (DATA / "framework.toml")
        .read_text(encoding="utf-8")
        .replace("indicator_weight = { min = 5, max = 40 }", "indicator_weight = { min = 5, max = 25 }")
    )
    framework = tmp_path / "framework.toml"
    framework.write_text(strict, encoding="utf-8")
    out, error = run(str(DATA / "plan_customer_service.toml"), "--framework", str(framework))
    assert error is not None
    assert "plan.weight_bounds @ indicators[0].weight (conversion)" in out


def test_an_unreadable_or_malformed_file_exits_1(tmp_path: Path) -> None:
    _, error = run(str(tmp_path / "missing.toml"))
    assert error is not None and error.returncode == 1
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[plan]\nkey = 'x'\nname_zh = 'x'\n[[plan.indicators]]\nkey = 'a'\nname_zh = 'a'\nkind = 'nope'\n",
        encoding="utf-8",
    )
    _, error = run(str(bad))
    assert error is not None and error.returncode == 1
    assert "plan.indicators[0].kind" in str(error)
