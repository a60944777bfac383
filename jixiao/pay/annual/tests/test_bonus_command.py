"""``jixiao bonus simulate``: each role's bonus and the department totals at each profit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

PAY = str(Path(__file__).resolve().parents[3] / "demo" / "data" / "pay_marketing.toml")


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("bonus", "simulate", PAY, *args, stdout=out)
    return out.getvalue()


def row(out: str, profit: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(profit))


def test_profits_at_and_around_the_source_bounds() -> None:
    out = simulate("--profit", "1990000,2000000,2999999,3000000,5000001")
    assert row(out, "1,990,000.00").split()[-4:] == ["0.00", "0.00", "0.00", "0.00"]
    assert row(out, "2,000,000.00").split()[-4:] == ["0.00", "0.00", "0.00", "0.00"]
    assert row(out, "2,999,999.00").split()[-4:] == ["119,999.96", "1,500.00", "122,999.96", "149,999.95"]
    assert row(out, "3,000,000.00").split()[-4:] == ["180,000.00", "30,000.00", "240,000.00", "240,000.00"]
    assert row(out, "5,000,001.00").split()[-4:] == ["400,000.08", "75,000.02", "550,000.12", "550,000.11"]
    assert "300万: 2,999,999.99 → 3,000,000.00: 市场总监 +60,000.00" in out


def test_a_range_with_a_step() -> None:
    out = simulate("--from", "190万", "--to", "210万", "--step", "5万")
    profits = [line.split()[0] for line in out.splitlines() if line[:1].isdigit()]
    assert profits == ["1,900,000.00", "1,950,000.00", "2,000,000.00", "2,050,000.00", "2,100,000.00"]


def test_progressive_mode_for_comparison_has_no_cliffs() -> None:
    out = simulate("--profit", "6000000", "--mode", "progressive")
    assert "超额累进 progressive" in out
    assert row(out, "6,000,000.00").split()[-4:-2] == ["240,000.00", "35,500.00"]
    assert "no cliffs" in out
    both = simulate("--profit", "6000000", "--mode", "both")
    assert "全额累进 bracket" in both and "超额累进 progressive" in both


@pytest.mark.parametrize("args", [(), ("--profit", "abc"), ("--from", "1", "--to", "2")])
def test_bad_arguments_are_explained(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        simulate(*args)
