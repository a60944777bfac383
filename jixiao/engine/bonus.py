"""Annual bonus (年度奖金): tiers, payouts with their trace, what-if curves and cliffs.

Monthly pay, proration and pools are in :mod:`jixiao.engine.pay`.

Money is ``int`` fen; every payout is rounded half-up to the fen once, at the end.

**Annual bonus** (年度奖金) on calendar-year net profit (净利润):

- ``bracket`` (全额累进, as the source writes it): the whole profit × the rate of the tier
  the profit falls in. Payouts jump at each bound (悬崖 cliffs).
- ``progressive`` (超额累进): each slice of profit × its own tier's rate, summed, then rounded;
  continuous and never decreasing while rates are non-negative.

**Bounds.** Each bound states its inclusivity (Chinese legal convention, 民法典 第1259条:
以上、以下、以内、届满 include the number; 不满、超过、以外 exclude it) or leaves it unstated
(“之间”). The engine resolves an unstated bound so that a shared bound belongs to exactly
one tier where possible: if the neighbouring tier states the shared bound, that statement
decides; otherwise a lower bound includes its number and an upper bound excludes it
(“[下限, 上限)”). Where two stated bounds both include the number the earlier tier wins;
where both exclude it, no tier applies (no bonus). Lint reports all of these.

The **department total** is the sum of the roles' payouts × headcount (what is actually
paid); the plan's stated department rate (部门总计) is reported beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .money import apply_rate, fen_to_yuan, format_rate, format_wan, format_yuan, round_half_up
from .pay_types import AnnualBonusPlan, BonusTier, Bound
from .text import Text
from .trace import Trace, TraceStep
from .types import BonusMode

DEPARTMENT = "department"


@dataclass(frozen=True)
class ResolvedTier:
    """A tier's range as the engine reads it; ``None`` amounts are unbounded."""

    index: int
    low: int | None
    low_inclusive: bool
    high: int | None
    high_inclusive: bool

    def contains(self, profit: int) -> bool:
        if self.low is not None and (profit < self.low or (profit == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None
            and (profit > self.high or (profit == self.high and not self.high_inclusive))
        )

    def render_zh(self) -> str:
        return render_range_zh(
            None if self.low is None else Bound(self.low, self.low_inclusive),
            None if self.high is None else Bound(self.high, self.high_inclusive),
        )

    def render_en(self) -> str:
        return render_range_en(
            None if self.low is None else Bound(self.low, self.low_inclusive),
            None if self.high is None else Bound(self.high, self.high_inclusive),
        )


def render_bound_zh(bound: Bound, side: str) -> str:
    """A bound in the legal convention's words: 以上/以下 include the number, 超过/不满 don't."""
    amount = format_wan(bound.amount)
    if bound.inclusive is None:
        return f"{amount}（{bound.wording or '未说明'}：是否含本数未说明）"
    if side == "lower":
        return f"{amount}以上（含本数）" if bound.inclusive else f"超过{amount}（不含本数）"
    return f"{amount}以下（含本数）" if bound.inclusive else f"不满{amount}（不含本数）"


def render_bound_en(bound: Bound, side: str) -> str:
    amount = format_yuan(bound.amount)
    if bound.inclusive is None:
        return f"{amount} (inclusivity unstated)"
    if side == "lower":
        return f"at least {amount}" if bound.inclusive else f"more than {amount}"
    return f"at most {amount}" if bound.inclusive else f"less than {amount}"


def render_range_zh(lower: Bound | None, upper: Bound | None) -> str:
    parts = [render_bound_zh(b, s) for b, s in ((lower, "lower"), (upper, "upper")) if b is not None]
    return "、".join(parts) if parts else "任何金额"


def render_range_en(lower: Bound | None, upper: Bound | None) -> str:
    parts = [render_bound_en(b, s) for b, s in ((lower, "lower"), (upper, "upper")) if b is not None]
    return " and ".join(parts) if parts else "any amount"


def resolve_tiers(plan: AnnualBonusPlan) -> list[ResolvedTier]:
    """Read each tier's bounds by the module's rule for unstated inclusivity."""
    tiers = plan.tiers
    out: list[ResolvedTier] = []
    for i, tier in enumerate(tiers):
        prev = tiers[i - 1].upper if i > 0 else None
        nxt = tiers[i + 1].lower if i + 1 < len(tiers) else None
        low_incl = _resolve(tier.lower, prev, default=True)
        high_incl = _resolve(tier.upper, nxt, default=False)
        out.append(
            ResolvedTier(
                i,
                None if tier.lower is None else tier.lower.amount,
                low_incl,
                None if tier.upper is None else tier.upper.amount,
                high_incl,
            )
        )
    return out


def _resolve(bound: Bound | None, neighbour: Bound | None, *, default: bool) -> bool:
    if bound is None:
        return True
    if bound.inclusive is not None:
        return bound.inclusive
    if neighbour is not None and neighbour.amount == bound.amount and neighbour.inclusive is not None:
        return not neighbour.inclusive
    return default


def tier_index(resolved: Sequence[ResolvedTier], profit: int) -> int | None:
    """The first tier containing ``profit``, or None (a gap)."""
    for tier in resolved:
        if tier.contains(profit):
            return tier.index
    return None


@dataclass(frozen=True)
class AnnualBonus:
    """The annual bonus at one profit: each role's payout (one person), the department sum
    (roles × headcount) and the stated department total, all in fen."""

    profit: int
    mode: BonusMode
    tier: int | None
    per_role: tuple[tuple[str, int], ...]
    department_sum: int
    department_stated: int | None
    trace: Trace | None = None

    def role(self, key: str) -> int:
        return dict(self.per_role)[key]


def annual_bonus(
    plan: AnnualBonusPlan,
    profit: int,
    mode: BonusMode | None = None,
    *,
    with_trace: bool = True,
    resolved: Sequence[ResolvedTier] | None = None,
) -> AnnualBonus:
    """Compute the annual bonus at ``profit`` fen of net profit (no bonus when profit ≤ 0)."""
    mode = mode or plan.mode
    resolved = resolved if resolved is not None else resolve_tiers(plan)
    index = tier_index(resolved, profit)
    per_role: list[tuple[str, int]] = []
    exacts: list[Decimal] = []
    stated: int | None = None
    has_stated = any(t.department_rate is not None for t in plan.tiers)
    if mode is BonusMode.BRACKET:
        tier = plan.tiers[index] if index is not None and profit > 0 else None
        for role in plan.roles:
            rate = tier.rate(role.key) if tier else Decimal(0)
            per_role.append((role.key, apply_rate(profit, rate) if tier else 0))
            exacts.append(Decimal(profit) * rate / 100 if tier else Decimal(0))
        if has_stated:
            stated = apply_rate(profit, tier.department_rate) if tier and tier.department_rate else 0
    else:
        for role in plan.roles:
            exact = _progressive(plan, resolved, profit, _rate_of(role.key))
            per_role.append((role.key, int(round_half_up(exact))))
            exacts.append(exact / 100)
        if has_stated:
            stated = int(
                round_half_up(_progressive(plan, resolved, profit, lambda t: t.department_rate or Decimal(0)))
            )
    department = sum(fen * role.headcount for (_, fen), role in zip(per_role, plan.roles, strict=True))
    trace = None
    if with_trace:
        trace = _annual_trace(plan, profit, mode, resolved, index, per_role, exacts, department)
    return AnnualBonus(profit, mode, index, tuple(per_role), department, stated, trace)


_MODE_NAMES = {
    BonusMode.BRACKET: Text("全额累进", "bracket"),
    BonusMode.PROGRESSIVE: Text("超额累进", "progressive"),
}
PROFIT, RATE = Text("净利润", "net profit"), Text("比率", "rate")


def _annual_trace(
    plan: AnnualBonusPlan,
    profit: int,
    mode: BonusMode,
    resolved: Sequence[ResolvedTier],
    index: int | None,
    per_role: Sequence[tuple[str, int]],
    exacts: Sequence[Decimal],
    department: int,
) -> Trace:
    """The tier step, then one step per role (its payout × headcount adds to the department sum)."""
    where = (
        Text(resolved[index].render_zh(), resolved[index].render_en())
        if index is not None
        else Text("不在任何档位（空档）", "in no tier (a gap)")
    )
    mode_name = _MODE_NAMES.get(mode, Text(mode.value, mode.value))
    steps = [
        TraceStep(
            "tier",
            str(index),
            Text(f"档位：{where.zh}", f"tier: {where.en}"),
            Text(f"模式 = {mode_name.zh}", f"mode = {mode_name.en}"),
            fen_to_yuan(profit),
        )
    ]
    tier = plan.tiers[index] if index is not None and profit > 0 else None
    for role, (_, fen), exact in zip(plan.roles, per_role, exacts, strict=True):
        if mode is BonusMode.BRACKET:
            formula = Text("净利润 × 比率", "net profit × rate")
            rate = tier.rate(role.key) if tier else Decimal(0)
            inputs: tuple[tuple[Text, str], ...] = ((PROFIT, format_yuan(profit)), (RATE, format_rate(rate)))
        else:
            formula = Text("Σ 各档利润 × 该档比率", "Σ slice × its rate")
            inputs = ((PROFIT, format_yuan(profit)),)
        steps.append(
            TraceStep(
                "role",
                role.key,
                Text(f"{role.name_zh} ×{role.headcount}人", f"{role.name_en or role.key} ×{role.headcount}"),
                formula,
                exact,
                inputs,
                rounded=fen_to_yuan(fen),
                adds=fen_to_yuan(fen * role.headcount),
            )
        )
    return Trace(tuple(steps), fen_to_yuan(department), Decimal("0.01"))


def _progressive(
    plan: AnnualBonusPlan,
    resolved: Sequence[ResolvedTier],
    profit: int,
    rate_of: Callable[[BonusTier], Decimal],
) -> Decimal:
    """Σ over tiers of rate × the part of ``profit`` inside the tier (below 0 counts as 0)."""
    total = Decimal(0)
    for tier, span in zip(plan.tiers, resolved, strict=True):
        low = max(span.low or 0, 0)
        high = profit if span.high is None else min(profit, span.high)
        if high > low:
            total += rate_of(tier) * (high - low)
    return total


def _rate_of(key: str) -> Callable[[BonusTier], Decimal]:
    return lambda tier: tier.rate(key)


def profit_range(start: int, stop: int, step: int) -> list[int]:
    """Profits from ``start`` to ``stop`` inclusive, every ``step`` fen."""
    if step <= 0:
        raise ValueError("step must be positive")
    values = list(range(start, stop + 1, step))
    if values and values[-1] != stop and stop > start:
        values.append(stop)
    return values


def what_if(
    plan: AnnualBonusPlan, profits: Sequence[int], mode: BonusMode | None = None
) -> list[AnnualBonus]:
    """Each role's bonus and the department totals at each profit (the what-if simulator)."""
    resolved = resolve_tiers(plan)
    return [annual_bonus(plan, p, mode, with_trace=False, resolved=resolved) for p in profits]


@dataclass(frozen=True)
class Cliff:
    """A jump (悬崖) in payout where the tier changes between ``last`` and ``first`` (one fen
    apart): ``jumps`` holds each role's (and the department sum's) payout before and after."""

    bound: int
    last: int
    first: int
    from_tier: int | None
    to_tier: int | None
    jumps: tuple[tuple[str, int, int], ...]

    def size(self, role: str) -> int:
        for key, before, after in self.jumps:
            if key == role:
                return after - before
        raise KeyError(role)


def cliffs(plan: AnnualBonusPlan, mode: BonusMode | None = None) -> list[Cliff]:
    """Every place where one more fen of profit changes a payout by more than one fen."""
    mode = mode or plan.mode
    resolved = resolve_tiers(plan)
    amounts = sorted({b.amount for t in plan.tiers for b in (t.lower, t.upper) if b is not None})
    out: list[Cliff] = []
    seen: set[int] = set()
    for amount in amounts:
        for last in (amount - 1, amount):
            if last in seen:
                continue
            seen.add(last)
            first = last + 1
            a, b = tier_index(resolved, last), tier_index(resolved, first)
            if a == b:
                continue
            before = annual_bonus(plan, last, mode, with_trace=False, resolved=resolved)
            after = annual_bonus(plan, first, mode, with_trace=False, resolved=resolved)
            jumps = [(key, x, y) for (key, x), (_, y) in zip(before.per_role, after.per_role, strict=True)]
            jumps.append((DEPARTMENT, before.department_sum, after.department_sum))
            if any(abs(y - x) > 1 for _, x, y in jumps):
                out.append(Cliff(amount, last, first, a, b, tuple(jumps)))
    return out


def tier_rates_total(plan: AnnualBonusPlan, tier: BonusTier) -> Decimal:
    """Σ role rate × headcount for a tier (what the roles' rates add up to)."""
    return sum((tier.rate(r.key) * r.headcount for r in plan.roles), Decimal(0))
