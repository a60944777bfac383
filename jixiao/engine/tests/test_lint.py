import dataclasses
from decimal import Decimal as D

from hypothesis import example, given, settings

from jixiao.engine.bonus import DEPARTMENT, what_if
from jixiao.engine.lint import Finding, has_blocking, lint_framework, lint_plan
from jixiao.engine.lint_bonus import lint_bonus_plan
from jixiao.engine.money import format_yuan, parse_yuan
from jixiao.engine.pay_types import BonusTier, Bound
from jixiao.engine.types import (
    Band,
    BonusMode,
    Category,
    Grade,
    Indicator,
    Kind,
    Plan,
    Rater,
    RubricLevel,
    Severity,
    Source,
)

from .samples import RUBRIC, WAN, cs_plan, framework, marketing_bonus
from .test_bonus import plans


def codes(findings: list[Finding]) -> list[str]:
    return sorted({f.code for f in findings})


def with_indicators(*indicators: Indicator) -> Plan:
    return dataclasses.replace(cs_plan(), indicators=indicators)


def test_the_customer_service_sample_plan_has_no_blocking_finding():
    findings = lint_plan(cs_plan(), framework())
    assert not has_blocking(findings), [f.render() for f in findings]
    assert lint_framework(framework()) == []


def test_weights_must_add_up_to_100_and_stay_within_bounds():
    plan = cs_plan()
    heavy = dataclasses.replace(plan.indicators[0], weight=D(45))
    findings = lint_plan(dataclasses.replace(plan, indicators=(heavy, *plan.indicators[1:])), framework())
    found = {f.code: f for f in findings}
    assert found["plan.weights_sum"].severity is Severity.BLOCKING
    assert "115" in found["plan.weights_sum"].message_zh and "减少 15" in found["plan.weights_sum"].fix_zh
    assert found["plan.weight_bounds"].where == "indicators[0].weight"
    assert "plan.category_weight" in found  # 业绩 now 90 > 80


def test_counts_categories_targets_sources_and_raters_are_checked():
    plan = with_indicators(
        Indicator("a", "回款", Kind.RATIO, D(40), "performance", source=Source.IMPORT),  # no target
        Indicator("b", "销量", Kind.RATIO, D(40), "sales", target=D(10)),  # unknown category, no source
        Indicator("c", "协作", Kind.RUBRIC, D(20), "team", source=Source.MANUAL, levels=RUBRIC),  # no raters
    )
    found = codes(lint_plan(plan, framework()))
    for code in (
        "plan.target_missing",
        "plan.category_unknown",
        "plan.source_missing",
        "plan.rater_missing",
        "plan.category_missing",
    ):
        assert code in found


def test_duplicates_and_overlapping_indicators():
    plan = cs_plan()
    copy = dataclasses.replace(plan.indicators[2], weight=D(0))
    renamed = dataclasses.replace(plan.indicators[1], key="satisfaction2", name_zh="满意度2")
    findings = lint_plan(dataclasses.replace(plan, indicators=(*plan.indicators, copy, renamed)), framework())
    found = codes(findings)
    assert "plan.duplicate_key" in found and "plan.duplicate_name" in found and "plan.overlap" in found


def test_band_tables_must_be_monotonic_without_gaps_or_overlaps():
    bad = Indicator(
        "s",
        "满意度",
        Kind.BANDS,
        D(20),
        "performance",
        source=Source.IMPORT,
        bands=(
            Band(None, D(80), D(0)),
            Band(D(85), D(90), D(60)),
            Band(D(88), D(95), D(40)),
            Band(D(95), None, D(100)),
        ),
    )
    findings = [f for f in lint_plan(with_indicators(bad), framework()) if f.item == "s"]
    assert {"plan.bands_gap", "plan.bands_overlap", "plan.bands_not_monotonic"} <= set(codes(findings))
    gap = next(f for f in findings if f.code == "plan.bands_gap")
    assert gap.where == "indicators[0].bands[1]" and "80" in gap.message_zh and "85" in gap.message_zh


def test_caps_and_event_indicators_must_be_consistent():
    plan = with_indicators(
        Indicator(
            "q", "质量", Kind.RATIO, D(100), "performance", target=D(1), cap=D("0.9"), source=Source.IMPORT
        ),
        Indicator("b", "表扬", Kind.BONUS, D(5), source=Source.IMPORT, max_points=D(8)),
        Indicator(
            "d",
            "失误",
            Kind.DEDUCTION,
            D(10),
            "performance",
            source=Source.IMPORT,
            points_per_event=D(2),
            floor=D(12),
        ),
        Indicator("v", "泄密", Kind.VETO, source=Source.IMPORT, veto_grade="E"),
    )
    found = codes(lint_plan(plan, framework()))
    for code in (
        "plan.cap_below_target",
        "plan.weight_not_allowed",
        "plan.points_per_event",
        "plan.cap_above_framework",
        "plan.floor",
        "plan.veto_grade",
    ):
        assert code in found


def test_a_bad_formula_is_blocking_with_its_position():
    bad = dataclasses.replace(cs_plan().indicators[0], formula="orders / inquries")
    plan = dataclasses.replace(cs_plan(), indicators=(bad, *cs_plan().indicators[1:]))
    [finding] = [f for f in lint_plan(plan, framework()) if f.code == "plan.formula"]
    assert "inquries" in finding.message_zh and "第 10 个字符" in finding.message_zh


def test_rubric_levels_need_two_levels_in_range():
    bad = Indicator(
        "t",
        "协作",
        Kind.RUBRIC,
        D(15),
        "team",
        source=Source.MANUAL,
        raters=(Rater.PEER,),
        levels=(RubricLevel("x", "优", D(120), description_zh="好"),),
    )
    assert "plan.rubric_levels" in codes(lint_plan(with_indicators(bad), framework()))


def test_framework_checks():
    fw = framework(
        rater_weights=((Rater.SELF, D(50)), (Rater.MANAGER, D(60))),
        grades=(Grade("B", D(80), D(1)), Grade("A", D(90), D("1.2"))),
        categories=(Category("performance", "业绩", D(60), D(70)),),
        score_precision=D("0.05"),
    )
    found = codes(lint_framework(fw))
    for code in (
        "framework.rater_weights",
        "framework.grades_order",
        "framework.category_ranges",
        "framework.precision",
        "framework.coefficients",
    ):
        assert code in found


# --- the source's bonus plan ----------------------------------------------------------------


def test_source_bonus_plan_rates_do_not_add_up_and_half_a_percent_was_probably_meant():
    [finding] = [f for f in lint_bonus_plan(marketing_bonus()) if f.code == "bonus.rates_sum"]
    assert finding.severity is Severity.BLOCKING
    assert finding.where == "tiers[1].department_rate"
    assert "4% + 2 × 0.05% = 4.1%" in finding.message_en and "5%" in finding.message_en
    assert "0.5%" in finding.fix_zh and "0.5%" in finding.fix_en


def test_source_bonus_plan_bounds_at_2m_3m_5m_are_ambiguous():
    findings = [f for f in lint_bonus_plan(marketing_bonus()) if f.code == "bonus.bound_ambiguous"]
    assert [f.where for f in findings] == ["tiers[1].lower", "tiers[2].lower", "tiers[3].lower"]
    assert all(f.severity is Severity.BLOCKING for f in findings)
    assert "“200万以内”包含 200万" in findings[0].message_zh
    assert "“200万--300万之间”" in findings[0].message_zh
    assert "300万" in findings[1].message_zh and "“500万以上”包含 500万" in findings[2].message_zh


def test_source_bonus_plan_cliffs_in_bracket_mode_with_sizes():
    cliffs = [f for f in lint_bonus_plan(marketing_bonus()) if f.code == "bonus.cliff"]
    assert [f.item for f in cliffs] == ["200万", "300万", "500万"]
    assert "市场总监 120,000.00 → 180,000.00（+60,000.00）" in cliffs[1].message_zh
    assert "+80,000.00" in cliffs[0].message_zh and "+100,000.00" in cliffs[2].message_zh
    assert not [f for f in lint_bonus_plan(marketing_bonus(BonusMode.PROGRESSIVE)) if f.code == "bonus.cliff"]


def test_stated_bounds_in_the_legal_convention_lint_clean_of_bound_findings():
    plan = marketing_bonus()
    fixed = dataclasses.replace(
        plan,
        tiers=(
            dataclasses.replace(plan.tiers[0], upper=Bound(200 * WAN, True, "以下")),
            dataclasses.replace(
                plan.tiers[1],
                lower=Bound(200 * WAN, False, "超过"),
                upper=Bound(300 * WAN, False, "不满"),
                rates=(("director", D("0.04")), ("manager", D("0.005"))),
            ),
            dataclasses.replace(
                plan.tiers[2], lower=Bound(300 * WAN, True, "以上"), upper=Bound(500 * WAN, False, "不满")
            ),
            plan.tiers[3],
        ),
        mode=BonusMode.PROGRESSIVE,
    )
    assert lint_bonus_plan(fixed) == []


def test_gaps_overlaps_and_falling_payouts_are_blocking():
    plan = marketing_bonus()
    broken = dataclasses.replace(
        plan,
        tiers=(
            plan.tiers[0],
            BonusTier(
                Bound(250 * WAN, True),
                Bound(300 * WAN, False),
                (("director", D("0.04")), ("manager", D("0.01"))),
            ),
            BonusTier(
                Bound(280 * WAN, True),
                Bound(500 * WAN, False),
                (("director", D("0.02")), ("manager", D("0.01"))),
            ),
            plan.tiers[3],
        ),
    )
    found = codes(lint_bonus_plan(broken))
    assert "bonus.tier_gap" in found and "bonus.tier_overlap" in found


def test_a_lower_rate_in_a_higher_tier_is_a_falling_payout():
    plan = marketing_bonus()
    falling = dataclasses.replace(
        plan,
        tiers=(
            *plan.tiers[:3],
            dataclasses.replace(
                plan.tiers[3], rates=(("director", D("0.05")), ("manager", D("0.015"))), department_rate=None
            ),
        ),
    )
    [finding] = [f for f in lint_bonus_plan(falling) if f.code == "bonus.non_monotone"]
    assert finding.severity is Severity.BLOCKING and finding.item == "500万"


@settings(max_examples=60, deadline=None)
@given(plans())
@example(marketing_bonus())
def test_lint_cliff_findings_match_the_jumps_the_simulator_measures(plan):
    amounts = sorted({b.amount for t in plan.tiers for b in (t.lower, t.upper) if b is not None})
    probes = sorted({p for a in amounts for p in (a - 1, a, a + 1)})
    rows = {r.profit: r for r in what_if(plan, probes)}
    measured = []
    for p in probes:
        if p + 1 in rows:
            sizes = [y - x for (_, x), (_, y) in zip(rows[p].per_role, rows[p + 1].per_role, strict=True)]
            sizes.append(rows[p + 1].department_sum - rows[p].department_sum)
            if any(abs(s) > 1 for s in sizes):
                measured.append((p, sizes))
    findings = [f for f in lint_bonus_plan(plan) if f.code == "bonus.cliff"]
    assert len(findings) == len(measured)
    for finding, (last, sizes) in zip(findings, measured, strict=True):
        assert f"从 {format_yuan(last)} 元" in finding.message_zh
        for size in sizes:
            assert f"（{'+' if size >= 0 else ''}{format_yuan(size)}）" in finding.message_zh


def test_source_numbers_director_at_2999999_and_3000000():
    rows = what_if(marketing_bonus(), [parse_yuan("2999999"), parse_yuan("3000000")])
    assert [r.role("director") for r in rows] == [parse_yuan("119999.96"), parse_yuan("180000")]
    assert DEPARTMENT == "department"
