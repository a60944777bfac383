"""Sample frameworks, plans and bonus plans built in code for the engine tests."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.engine.money import parse_yuan
from jixiao.engine.pay_types import AnnualBonusPlan, BonusRole, BonusTier, Bound, PayStructure
from jixiao.engine.types import (
    Band,
    BonusMode,
    Category,
    Framework,
    Grade,
    Indicator,
    Kind,
    Measure,
    Plan,
    Rater,
    RubricLevel,
    Source,
    ZeroRule,
)

WAN = parse_yuan("1万")


def framework(**changes: object) -> Framework:
    base = dict(
        key="fw",
        name_zh="公司考核总框架",
        grades=(
            Grade("A", D(90), D("1.2"), "优秀", quota_max=D("0.2")),
            Grade("B", D(80), D("1.0"), "良好"),
            Grade("C", D(60), D("0.8"), "合格"),
            Grade("D", D(0), D("0.5"), "待改进", quota_min=D("0.05")),
        ),
        rater_weights=(
            (Rater.SELF, D(10)),
            (Rater.MANAGER, D(60)),
            (Rater.PEER, D(20)),
            (Rater.COMMITTEE, D(10)),
        ),
        categories=(
            Category("performance", "业绩", D(50), D(80), required=True),
            Category("ability", "能力", D(0), D(30)),
            Category("attitude", "态度", D(5), D(30), required=True),
            Category("team", "团队", D(0), D(20)),
        ),
        min_indicators=3,
        max_indicators=10,
        min_indicator_weight=D(5),
        max_indicator_weight=D(40),
        bonus_cap=D(5),
        deduction_cap=D(10),
    )
    base.update(changes)
    return Framework(**base)  # type: ignore[arg-type]


RUBRIC = (
    RubricLevel("excellent", "优", D(100), "excellent", "主动帮助同事"),
    RubricLevel("good", "良", D(80), "good"),
    RubricLevel("fair", "中", D(60), "fair"),
    RubricLevel("poor", "差", D(40), "poor"),
)


def cs_plan() -> Plan:
    return Plan(
        key="cs",
        name_zh="客服部考核细则",
        framework="fw",
        measures=(
            Measure("orders", "成交单数"),
            Measure("inquiries", "咨询数"),
            Measure("satisfaction", "满意度"),
            Measure("response_seconds", "平均响应秒数"),
            Measure("costly_errors", "造成损失的失误"),
            Measure("praise", "客户表扬"),
            Measure("data_leak", "泄露客户信息"),
        ),
        indicators=(
            Indicator(
                "conversion",
                "转化率",
                Kind.DERIVED,
                D(30),
                "performance",
                formula="orders / inquiries",
                on_zero=ZeroRule.MISSING,
                score_as=Kind.RATIO,
                target=D("0.25"),
                cap=D("1.2"),
                source=Source.DERIVED,
            ),
            Indicator(
                "satisfaction",
                "满意度",
                Kind.BANDS,
                D(20),
                "performance",
                source=Source.IMPORT,
                bands=(
                    Band(None, D(80), D(0)),
                    Band(D(80), D(90), D(60)),
                    Band(D(90), D(95), D(85)),
                    Band(D(95), None, D(100)),
                ),
            ),
            Indicator(
                "response",
                "响应时间",
                Kind.INVERSE_RATIO,
                D(15),
                "performance",
                target=D(30),
                source=Source.IMPORT,
                measure="response_seconds",
            ),
            Indicator(
                "errors",
                "失误",
                Kind.DEDUCTION,
                D(10),
                "performance",
                source=Source.IMPORT,
                measure="costly_errors",
                points_per_event=D(5),
            ),
            Indicator(
                "teamwork",
                "团队协作",
                Kind.RUBRIC,
                D(15),
                "team",
                source=Source.MANUAL,
                raters=(Rater.PEER, Rater.MANAGER),
                levels=RUBRIC,
            ),
            Indicator(
                "attitude",
                "态度与成长",
                Kind.RUBRIC,
                D(10),
                "attitude",
                source=Source.MANUAL,
                raters=(Rater.SELF, Rater.MANAGER),
                levels=RUBRIC,
            ),
            Indicator(
                "praise", "客户表扬", Kind.BONUS, source=Source.IMPORT, points_per_event=D(1), max_points=D(3)
            ),
            Indicator(
                "leak",
                "泄露客户信息",
                Kind.VETO,
                source=Source.IMPORT,
                measure="data_leak",
                veto_grade="D",
                veto_voids_bonus=True,
                description_zh="经核实向公司以外泄露客户信息一次即触发",
            ),
        ),
    )


def marketing_bonus(mode: BonusMode = BonusMode.BRACKET) -> AnnualBonusPlan:
    """The source's annual bonus plan, exactly as written (0.05 % and all)."""
    return AnnualBonusPlan(
        key="marketing",
        name_zh="市场部年度奖金",
        mode=mode,
        roles=(BonusRole("director", "市场总监", 1), BonusRole("manager", "市场经理", 2)),
        tiers=(
            BonusTier(None, Bound(200 * WAN, True, "以内"), (), None, "净利润在200万以内，无年终奖"),
            BonusTier(
                Bound(200 * WAN, None, "之间"),
                Bound(300 * WAN, None, "之间"),
                (("director", D("0.04")), ("manager", D("0.0005"))),
                D("0.05"),
            ),
            BonusTier(
                Bound(300 * WAN, None, "之间"),
                Bound(500 * WAN, None, "之间"),
                (("director", D("0.06")), ("manager", D("0.01"))),
                D("0.08"),
            ),
            BonusTier(
                Bound(500 * WAN, True, "以上"),
                None,
                (("director", D("0.08")), ("manager", D("0.015"))),
                D("0.11"),
            ),
        ),
    )


DIRECTOR = PayStructure(
    "director",
    "市场总监",
    base_salary=400_000,
    monthly_bonus_base=100_000,
    travel_per_day=20_000,
    annual_bonus_role="director",
)
MANAGER = PayStructure(
    "manager",
    "市场经理",
    base_salary=200_000,
    monthly_bonus_base=50_000,
    travel_per_day=10_000,
    annual_bonus_role="manager",
)
