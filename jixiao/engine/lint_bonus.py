"""Annual bonus plan checks (年度奖金方案检查).

Finds tier gaps and overlaps, bounds whose inclusivity is unstated or ambiguous (read by the
legal convention: 以上、以下、以内、届满 include the number; 不满、超过、以外 exclude it), role
rates that do not add up to the stated department total (with a guess at the slip, e.g.
0.05 % for 0.5 %), cliffs in bracket mode with each jump's size (computed by
:func:`jixiao.engine.bonus.cliffs`, the same function the what-if simulator's jumps are
tested against), and payouts that fall as profit rises.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .bonus import DEPARTMENT, cliffs, tier_rates_total
from .findings import Collector, Finding
from .money import format_rate, format_wan, format_yuan
from .pay_types import AnnualBonusPlan, BonusTier, Bound
from .types import BonusMode, Severity

B, W = Severity.BLOCKING, Severity.WARNING


def _label(tier: BonusTier, index: int) -> str:
    return tier.source_text or f"第 {index + 1} 档"


def _words(bound: Bound, tier: BonusTier) -> str:
    """How the plan words this bound: “200万以内”, “200万--300万之间”."""
    if bound.wording == "之间" and tier.lower is not None and tier.upper is not None:
        return f"“{format_wan(tier.lower.amount)}--{format_wan(tier.upper.amount)}之间”"
    return f"“{format_wan(bound.amount)}{bound.wording}”"


def lint_bonus_plan(plan: AnnualBonusPlan) -> list[Finding]:
    """Check an annual bonus plan on its own."""
    c = Collector()
    roles = {r.key: r for r in plan.roles}
    for j, role in enumerate(plan.roles):
        if role.headcount < 1:
            c.add(
                "bonus.headcount",
                f"roles[{j}].headcount",
                B,
                f"“{role.name_zh}”人数应至少为 1",
                f"role {role.key!r} needs a headcount of at least 1",
                "填写该岗位人数",
                "set the headcount",
                role.key,
            )
    for i, tier in enumerate(plan.tiers):
        where, item = f"tiers[{i}]", _label(tier, i)
        for key, rate in tier.rates:
            if key not in roles:
                c.add(
                    "bonus.role_unknown",
                    f"{where}.rates.{key}",
                    B,
                    f"档位中的岗位“{key}”未在方案中声明",
                    f"role {key!r} is not declared in the plan",
                    "在 roles 中声明该岗位或删除该比例",
                    "declare the role or remove the rate",
                    item,
                )
            if not 0 <= rate <= 1:
                c.add(
                    "bonus.rate_range",
                    f"{where}.rates.{key}",
                    B,
                    f"比例 {format_rate(rate)} 应在 0%–100% 之间",
                    f"rate {format_rate(rate)} must lie between 0 % and 100 %",
                    "修正比例",
                    "fix the rate",
                    item,
                )
        if tier.rates and len({k for k, _ in tier.rates}) < len(roles):
            missing = [r.name_zh for r in plan.roles if r.key not in dict(tier.rates)]
            c.add(
                "bonus.rate_missing",
                f"{where}.rates",
                W,
                f"本档未给出 {'、'.join(missing)} 的比例，按 0 计",
                f"no rate for {', '.join(missing)} in this tier: counted as 0",
                "补上比例或写明为 0",
                "add the rate or state 0",
                item,
            )
        _rates_sum(c, plan, tier, where, item)
    _bounds(c, plan)
    _cliffs(c, plan)
    return c.findings


def _rates_sum(c: Collector, plan: AnnualBonusPlan, tier: BonusTier, where: str, item: str) -> None:
    stated = tier.department_rate
    if stated is None:
        return
    total = tier_rates_total(plan, tier)
    if total == stated:
        return
    terms = " + ".join(
        (f"{r.headcount} × " if r.headcount > 1 else "") + format_rate(tier.rate(r.key)) for r in plan.roles
    )
    terms_zh = " + ".join(
        (f"{r.headcount} × " if r.headcount > 1 else "") + f"{format_rate(tier.rate(r.key))}（{r.name_zh}）"
        for r in plan.roles
    )
    guesses_zh, guesses_en = [], []
    for role in plan.roles:
        others = total - tier.rate(role.key) * role.headcount
        needed = (stated - others) / role.headcount
        given = tier.rate(role.key)
        if needed <= 0 or given <= 0:
            continue
        ratio = needed / given
        if ratio in (Decimal(10), Decimal(100), Decimal("0.1"), Decimal("0.01")):
            guesses_zh.append(
                f"{role.name_zh}的比例可能应为 {format_rate(needed)}（写成 {format_rate(given)} 像是小数点错位）"
            )
            guesses_en.append(
                f"{role.name_en or role.key}'s rate was probably meant to be {format_rate(needed)}, "
                f"not {format_rate(given)} (a slipped decimal point)"
            )
    if not guesses_zh:
        for role in plan.roles:
            others = total - tier.rate(role.key) * role.headcount
            needed = (stated - others) / role.headcount
            if needed >= 0:
                guesses_zh.append(f"或把{role.name_zh}的比例改为 {format_rate(needed)}")
                guesses_en.append(f"or set {role.name_en or role.key}'s rate to {format_rate(needed)}")
    c.add(
        "bonus.rates_sum",
        f"{where}.department_rate",
        B,
        f"各岗位比例之和 {terms_zh} = {format_rate(total)}，与所述部门总计 {format_rate(stated)} 不符",
        f"role rates {terms} = {format_rate(total)}, not the stated department total {format_rate(stated)}",
        "；".join([*guesses_zh, f"或把部门总计改为 {format_rate(total)}"]),
        "; ".join([*guesses_en, f"or state the department total as {format_rate(total)}"]),
        item,
    )


def _bounds(c: Collector, plan: AnnualBonusPlan) -> None:
    tiers = plan.tiers
    _missing_bounds(c, tiers)
    _outer_unstated(c, tiers)
    for i in range(len(tiers) - 1):
        a, b = tiers[i].upper, tiers[i + 1].lower
        if a is not None and b is not None:
            _shared_bound(c, tiers, i, a, b)


def _missing_bounds(c: Collector, tiers: Sequence[BonusTier]) -> None:
    for i, tier in enumerate(tiers):
        if i > 0 and tier.lower is None:
            c.add(
                "bonus.bound_missing",
                f"tiers[{i}].lower",
                B,
                "中间档位缺少下限",
                "a middle tier has no lower bound",
                "填写下限",
                "set the lower bound",
                _label(tier, i),
            )
        if i + 1 < len(tiers) and tier.upper is None:
            c.add(
                "bonus.bound_missing",
                f"tiers[{i}].upper",
                B,
                "中间档位缺少上限",
                "a middle tier has no upper bound",
                "填写上限",
                "set the upper bound",
                _label(tier, i),
            )


def _outer_unstated(c: Collector, tiers: Sequence[BonusTier]) -> None:
    for i, tier in enumerate(tiers):
        for side, bound in (("lower", tier.lower), ("upper", tier.upper)):
            outer = (side == "lower" and i == 0) or (side == "upper" and i == len(tiers) - 1)
            if outer and bound is not None and bound.inclusive is None:
                c.add(
                    "bonus.bound_unstated",
                    f"tiers[{i}].{side}",
                    B,
                    f"{_words(bound, tier)}未说明是否含本数",
                    f"{format_yuan(bound.amount)}: inclusivity unstated",
                    "用“以上/以下”（含）或“超过/不满”（不含）写明",
                    "say 以上/以下 (inclusive) or 超过/不满 (exclusive)",
                    _label(tier, i),
                )


def _shared_bound(c: Collector, tiers: Sequence[BonusTier], i: int, a: Bound, b: Bound) -> None:
    """Where tier ``i`` ends (``a``) and tier ``i + 1`` begins (``b``): a gap, an overlap or a
    shared number whose inclusivity must put it in exactly one tier."""
    where, item = f"tiers[{i + 1}].lower", _label(tiers[i + 1], i + 1)
    if a.amount < b.amount:
        c.add(
            "bonus.tier_gap",
            where,
            B,
            f"{format_wan(a.amount)} 到 {format_wan(b.amount)} 之间的利润不属于任何一档",
            f"profits between {format_yuan(a.amount)} and {format_yuan(b.amount)} fall in no tier",
            "让上一档上限等于下一档下限",
            "make each upper bound equal the next lower bound",
            item,
        )
    elif a.amount > b.amount:
        c.add(
            "bonus.tier_overlap",
            where,
            B,
            f"{format_wan(b.amount)} 到 {format_wan(a.amount)} 之间的利润同时属于两档",
            f"profits between {format_yuan(b.amount)} and {format_yuan(a.amount)} fall in two tiers",
            "让上一档上限等于下一档下限",
            "make each upper bound equal the next lower bound",
            item,
        )
    else:
        _shared_inclusivity(c, tiers, i, a, b)


def _shared_inclusivity(c: Collector, tiers: Sequence[BonusTier], i: int, a: Bound, b: Bound) -> None:
    """A bound shared by two tiers: both sides stated (must put it in exactly one tier), or one
    or both unstated — blocking whatever the neighbour says (a payout must not hang on a guess)."""
    if a.inclusive is not None and b.inclusive is not None:
        _both_stated(c, tiers, i, a, b)
    elif a.inclusive is None and b.inclusive is None:
        _both_unstated(c, tiers, i, a, b)
    else:
        _one_unstated(c, tiers, i, a, b)


def _both_stated(c: Collector, tiers: Sequence[BonusTier], i: int, a: Bound, b: Bound) -> None:
    where, item = f"tiers[{i + 1}].lower", _label(tiers[i + 1], i + 1)
    amount = format_wan(a.amount)
    if a.inclusive is True and b.inclusive is True:
        c.add(
            "bonus.tier_overlap",
            where,
            B,
            f"恰好 {amount} 时两档都适用（两边都含本数）",
            f"exactly {format_yuan(a.amount)} falls in both tiers (both bounds include it)",
            f"把其中一边改为“不满{amount}”或“超过{amount}”",
            "make one side exclusive",
            item,
        )
    elif a.inclusive is False and b.inclusive is False:
        c.add(
            "bonus.tier_gap",
            where,
            B,
            f"恰好 {amount} 时不属于任何一档（两边都不含本数）",
            f"exactly {format_yuan(a.amount)} falls in no tier (both bounds exclude it)",
            f"把其中一边改为“{amount}以上”或“{amount}以下”",
            "make one side inclusive",
            item,
        )


def _both_unstated(c: Collector, tiers: Sequence[BonusTier], i: int, a: Bound, b: Bound) -> None:
    where, item = f"tiers[{i + 1}].lower", _label(tiers[i + 1], i + 1)
    amount = format_wan(a.amount)
    c.add(
        "bonus.bound_ambiguous",
        where,
        B,
        f"{_words(a, tiers[i])}与{_words(b, tiers[i + 1])}都未说明是否含本数：恰好 {amount} 时属于哪一档不明确"
        f"（系统暂按含于较高一档计算）",
        f"neither tier says whether exactly {format_yuan(a.amount)} is included: which tier applies is "
        "ambiguous (computed as belonging to the higher tier)",
        f"写成“不满{amount}”与“{amount}以上（含{amount}）”",
        "write 'less than X' and 'X or more (inclusive)'",
        item,
    )


def _one_unstated(c: Collector, tiers: Sequence[BonusTier], i: int, a: Bound, b: Bound) -> None:
    where, item = f"tiers[{i + 1}].lower", _label(tiers[i + 1], i + 1)
    amount = format_wan(a.amount)
    pair = ((a, tiers[i]), (b, tiers[i + 1]))
    (explicit, e_tier), (other, o_tier) = pair if a.inclusive is not None else pair[::-1]
    if explicit.inclusive:
        c.add(
            "bonus.bound_ambiguous",
            where,
            B,
            f"{_words(explicit, e_tier)}包含 {amount}，而{_words(other, o_tier)}未说明是否包含：恰好 {amount} 时两档可能重叠"
            f"（系统暂按{_words(explicit, e_tier)}计算）",
            f"one tier includes exactly {format_yuan(a.amount)}, the other does not say: the tiers may "
            "overlap there (computed by the explicit one)",
            f"另一档写明“超过{amount}”或“不满{amount}”（不含本数）",
            "state the other side as exclusive (超过/不满)",
            item,
        )
    else:
        c.add(
            "bonus.bound_unstated",
            where,
            B,
            f"{_words(other, o_tier)}未说明是否含 {amount}（不论相邻档位怎么写，每个界限都须写明）",
            f"{format_yuan(a.amount)}: one side does not state inclusivity (every bound must, whatever "
            "its neighbour says)",
            f"写明“{amount}以上”或“{amount}以下”",
            "state it as inclusive",
            item,
        )


def _cliffs(c: Collector, plan: AnnualBonusPlan) -> None:
    names = {r.key: r.name_zh for r in plan.roles} | {DEPARTMENT: "部门合计"}
    names_en = {r.key: r.name_en or r.key for r in plan.roles} | {DEPARTMENT: "department"}
    for cliff in cliffs(plan, plan.mode):
        falls = [k for k, x, y in cliff.jumps if y < x]
        where = f"tiers[{cliff.to_tier}]" if cliff.to_tier is not None else f"tiers[{cliff.from_tier}]"
        item = format_wan(cliff.bound)
        jumps_zh = "；".join(
            f"{names[k]} {format_yuan(x)} → {format_yuan(y)}（{'+' if y >= x else ''}{format_yuan(y - x)}）"
            for k, x, y in cliff.jumps
        )
        jumps_en = "; ".join(
            f"{names_en[k]} {format_yuan(x)} → {format_yuan(y)} ({'+' if y >= x else ''}{format_yuan(y - x)})"
            for k, x, y in cliff.jumps
        )
        head_zh = f"净利润从 {format_yuan(cliff.last)} 元增加 0.01 元到 {format_yuan(cliff.first)} 元："
        head_en = f"profit rising one fen from {format_yuan(cliff.last)} to {format_yuan(cliff.first)}: "
        if falls:
            c.add(
                "bonus.non_monotone",
                where,
                B,
                head_zh + jumps_zh + "——利润增加，奖金反而减少",
                head_en + jumps_en + " — payout falls as profit rises",
                "让较高档位的比例不低于较低档位，或改用超额累进",
                "make higher tiers' rates no lower, or use progressive mode",
                item,
            )
        if plan.mode is BonusMode.BRACKET:
            c.add(
                "bonus.cliff",
                where,
                W,
                head_zh + jumps_zh,
                head_en + jumps_en,
                "全额累进在档位处会跳变：可改为超额累进（progressive），或设置过渡区",
                "bracket mode jumps at each bound: consider progressive mode or a transition band",
                item,
            )


__all__ = ["Finding", "lint_bonus_plan"]
