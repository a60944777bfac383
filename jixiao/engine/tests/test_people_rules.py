"""The condition language of rules that propose, its evaluation on a history and its lint (pure)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.engine.findings import has_blocking
from jixiao.engine.people_rules import (
    MAX_RUN,
    Action,
    Condition,
    ConditionError,
    Entry,
    GradeBand,
    LintScope,
    RuleSpec,
    Subject,
    explain,
    fires,
    lint_rules,
    parse_condition,
)

# A framework of A ≥ 90, B ≥ 75, C ≥ 60, D below; totals up to 100; second approval over 5,000 yuan.
BANDS = (
    GradeBand("A", D(90)),
    GradeBand("B", D(75), D(90)),
    GradeBand("C", D(60), D(75)),
    GradeBand("D", D(0), D(60)),
)
SCOPE = LintScope(grades=BANDS, total_max=D(100), second_approval_fen=500_000)


def entry(grade: str, total: str = "80", vetoed: bool = False, n: int = 1, cycle: str = "2026-09") -> Entry:
    return Entry(result_id=n, cycle=cycle, grade=grade, total=D(total), vetoed=vetoed)


def rule(text: str, action: Action = Action.COMMENDATION, amount: int = 0, kind: str = "month") -> RuleSpec:
    return RuleSpec(parse_condition(text), action, amount, kind)


def codes(rules: list[RuleSpec]) -> list[str]:
    return sorted(f.code for f in lint_rules(rules, SCOPE))


# -- the language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grade = D", Condition(Subject.GRADE, 1, grades=("D",))),
        ("grade in {A} for 2 in a row", Condition(Subject.GRADE, 2, grades=("A",))),
        ("grade in {C, D} for 3 in a row", Condition(Subject.GRADE, 3, grades=("C", "D"))),
        ("  GRADE  IN ｛C，D｝ FOR 3 IN A ROW ", Condition(Subject.GRADE, 3, grades=("C", "D"))),
        ("grade in {C, C, D}", Condition(Subject.GRADE, 1, grades=("C", "D"))),
        ("veto", Condition(Subject.VETO)),
        ("veto for 2 in a row", Condition(Subject.VETO, 2)),
        ("total < 60", Condition(Subject.TOTAL, op="<", value=D(60))),
        ("total ≥ 59.5", Condition(Subject.TOTAL, op=">=", value=D("59.5"))),
        ("total == 100 for 2 in a row", Condition(Subject.TOTAL, 2, op="=", value=D(100))),
        ("total < -1", Condition(Subject.TOTAL, op="<", value=D(-1))),  # parses; lint says it never holds
    ],
)
def test_conditions_parse(text: str, expected: Condition) -> None:
    assert parse_condition(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 20_000,
        "grade = " + "A" * 20_000,
        "total < 1e30",
        "total < nan",
        "total < NaN for 2 in a row",
        "total < inf",
        "total < 10001",
        "total < 60.123",
        "total < ６０",
        "grade = ",
        "grade in {}",
        "grade in {A, }",
        "grade in A, B",
        "grade = 1A",
        "grade in {" + ", ".join(f"G{i}" for i in range(13)) + "}",
        "veto for 0 in a row",
        "veto for -1 in a row",
        "veto for 100 in a row",
        "veto for 1e30 in a row",
        "veto for 99999999999999999999999 in a row",
        "veto for ２ in a row",
        "__import__('os').system('true')",
        "grade = A and total < 60",
        "score > 3",
    ],
)
def test_hostile_or_malformed_conditions_are_refused_with_a_sentence_in_both_languages(text: str) -> None:
    with pytest.raises(ConditionError) as refused:
        parse_condition(text)
    assert refused.value.message.zh and refused.value.message.en
    assert len(refused.value.message.zh) < 300


def conditions_upto(most: int) -> st.SearchStrategy[Condition]:
    counts = st.integers(1, most)
    return st.one_of(
        st.builds(
            lambda grades, n: Condition(Subject.GRADE, n, grades=tuple(dict.fromkeys(grades))),
            st.lists(st.sampled_from(["A", "B", "C", "D", "B+"]), min_size=1, max_size=4),
            counts,
        ),
        st.builds(
            lambda op, v, n: Condition(Subject.TOTAL, n, op=op, value=v),
            st.sampled_from(["<", "<=", ">", ">=", "="]),
            st.decimals(min_value=-1000, max_value=1000, places=2),
            counts,
        ),
        st.builds(lambda n: Condition(Subject.VETO, n), counts),
    )


conditions = conditions_upto(99)


@given(conditions)
def test_the_canonical_text_parses_back_to_the_same_condition(condition: Condition) -> None:
    assert parse_condition(condition.text) == condition


# -- firing -------------------------------------------------------------------------------


def test_a_run_fires_only_on_consecutive_results_meeting_the_condition() -> None:
    two_a = parse_condition("grade in {A} for 2 in a row")
    a1, a2, b = entry("A", "95", n=1), entry("A", "91", n=2), entry("B", "80", n=3)
    assert fires(two_a, [a1, a2, b]) == (a1, a2)
    assert fires(two_a, [a1, b, a2]) is None
    assert fires(two_a, [a1]) is None  # too short a history
    assert fires(two_a, [a1, None, a2]) is None  # a cycle without a result breaks the run
    assert fires(parse_condition("grade = D"), [entry("D"), None]) == (entry("D"),)
    assert fires(parse_condition("veto"), [entry("C", vetoed=True)]) is not None
    assert fires(parse_condition("total < 60"), [entry("D", "60")]) is None
    assert fires(parse_condition("total <= 60"), [entry("D", "60")]) is not None


def test_the_trace_names_each_result_and_the_condition() -> None:
    condition = parse_condition("grade in {C, D} for 2 in a row")
    lines = explain(condition, (entry("C", "65", cycle="2026-09"), entry("D", "50.5", True, cycle="2026-08")))
    assert lines[0].zh == "条件：连续 2 期为 C 或 D"
    assert lines[1].zh == "2026-09：等级 C，总分 65 —— 为 C 或 D"
    assert lines[2].en == "2026-08: grade D, total 50.5, vetoed — graded C or D"


def test_rules_read_in_chinese_and_english() -> None:
    reward = rule("grade in {A} for 2 in a row", Action.REWARD, 50_000)
    assert reward.describe().zh == "连续 2 期为 A → 表彰并奖励 500.00 元"
    assert reward.describe().en == "graded A 2 cycles in a row → commendation with a reward of 500.00 yuan"
    assert rule("grade = D", Action.IMPROVEMENT).describe().zh == "本期为 D → 启动绩效改进计划"
    assert rule("total < 60").describe().zh == "本期总分不满 60 分 → 表彰"
    assert rule("total >= 90").condition.describe().zh == "本期总分 90 分以上"
    assert (
        rule("veto for 3 in a row", Action.TALK).describe().en
        == "vetoed 3 cycles in a row → a talk with the head"
    )


# -- lint ---------------------------------------------------------------------------------


def test_a_sound_rule_set_has_no_finding() -> None:
    rules = [
        rule("grade in {A} for 2 in a row", Action.REWARD, 50_000),
        rule("grade = D", Action.IMPROVEMENT),
        rule("grade in {C, D} for 3 in a row", Action.TALK),
        rule("veto", Action.PENALTY, 20_000, kind="quarter"),
    ]
    assert lint_rules(rules, SCOPE) == []


def test_unreachable_rules_are_blocking() -> None:
    assert codes([rule("grade = E")]) == ["rules.grade"]
    assert codes([rule("grade in {A, X}")]) == ["rules.grade"]  # a typo beside a real grade
    assert codes([rule(f"grade = A for {MAX_RUN + 1} in a row")]) == ["rules.count"]
    assert codes([rule("total < 0")]) == ["rules.total"]
    assert codes([rule("total < -1")]) == ["rules.total"]
    assert codes([rule("total > 100")]) == ["rules.total"]
    assert codes([rule("total = 100.01")]) == ["rules.total"]
    assert codes([rule("total >= 100")]) == []  # the top mark is reachable
    assert codes([rule("total <= 0")]) == []
    assert has_blocking(lint_rules([rule("grade = E")], SCOPE))
    assert codes([]) == ["rules.empty"]


def test_a_condition_every_result_meets_is_a_warning() -> None:
    assert codes([rule("total >= 0")]) == ["rules.always"]
    assert codes([rule("grade in {A, B, C, D}")]) == ["rules.always"]
    assert not has_blocking(lint_rules([rule("total >= 0")], SCOPE))


def test_overlap_of_the_same_action_is_a_warning() -> None:
    two = rule("grade in {A} for 2 in a row", Action.REWARD, 50_000)
    three = rule("grade in {A} for 3 in a row", Action.REWARD, 100_000)
    findings = lint_rules([two, three], SCOPE)
    assert [f.code for f in findings] == ["rules.overlap"]
    assert findings[0].where == "rules[1].condition" and not has_blocking(findings)
    # grade D and a total below 60 meet in one result; a D and a total of 90 or more never do
    assert codes([rule("grade = D", Action.TALK), rule("total < 60", Action.TALK)]) == ["rules.overlap"]
    assert codes([rule("grade = D", Action.TALK), rule("total >= 90", Action.TALK)]) == []
    # rules on different cycle kinds never meet
    assert codes([rule("grade = D", Action.TALK), rule("grade = D", Action.TALK, kind="quarter")]) == []


def test_a_reward_and_a_penalty_for_the_same_results_contradict() -> None:
    reward = rule("total >= 70", Action.REWARD, 10_000)
    penalty = rule("grade in {C, D} for 2 in a row", Action.PENALTY, 10_000)
    findings = lint_rules([reward, penalty], SCOPE)
    assert [f.code for f in findings] == ["rules.contradiction"] and has_blocking(findings)
    assert "矛盾" in findings[0].message.zh and "contradicts" in findings[0].message.en
    # C starts at 60: a reward from 75 up cannot meet it
    assert codes([rule("total >= 75", Action.REWARD, 10_000), penalty]) == []
    assert codes([rule("veto", Action.REWARD, 10_000), rule("grade = D", Action.PENALTY, 100)]) == [
        "rules.contradiction"
    ]
    assert codes([rule("total >= 70", Action.COMMENDATION), penalty]) == ["rules.mixed"]


def test_amounts_are_checked_and_a_reward_above_the_second_approval_threshold_is_flagged() -> None:
    assert codes([rule("grade = A", Action.REWARD, 0)]) == ["rules.amount"]
    assert codes([rule("grade = A", Action.COMMENDATION, 100)]) == ["rules.amount"]
    assert codes([rule("grade = A", Action.REWARD, 500_000)]) == []
    flagged = lint_rules([rule("grade = A", Action.REWARD, 500_001)], SCOPE)
    assert [f.code for f in flagged] == ["rules.second_approval"] and not has_blocking(flagged)
    assert "5,000.00" in flagged[0].message.zh


# -- the lint's claim "never together" holds on every history ------------------------------


@st.composite
def results(draw: st.DrawFn) -> Entry:
    """A result whose grade is the one its total earns (the lint reads grades through the bands)."""
    band = draw(st.sampled_from(BANDS))
    high = (band.high or D(100)) - D("0.01") if band.high else D(100)
    total = draw(st.decimals(min_value=band.low, max_value=high, places=2))
    return Entry(draw(st.integers(1, 10)), "c", band.key, total, draw(st.booleans()))


@settings(max_examples=300)
@given(
    conditions_upto(4),
    conditions_upto(4),
    st.lists(results(), min_size=4, max_size=5),
)
def test_rules_the_lint_finds_apart_never_fire_together(
    first: Condition, second: Condition, history: list[Entry | None]
) -> None:
    rules = [RuleSpec(first, Action.REWARD, 100), RuleSpec(second, Action.PENALTY, 100)]
    if "rules.contradiction" not in {f.code for f in lint_rules(rules, SCOPE)}:
        assert not (fires(first, history) and fires(second, history))
