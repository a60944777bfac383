"""Benchmark the calculation engine: one cycle of 100 000 people × 12 indicators × 3 raters.

Prints the batch time and people/second, then the per-person loop (``score_person`` once per
person, the same code on one-row batches) over the same data, and the ratio. Target for the
batch on a 2-core machine: under 2 s. Prints figures; asserts nothing.

    .venv/bin/python -m bench.engine [--people 100000] [--loop-people N] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from decimal import Decimal

from jixiao.engine.batch import CycleInputs, score_batch, score_person
from jixiao.engine.grading import check_distribution, grade_batch, rank_competition
from jixiao.engine.indicators import RatingCell
from jixiao.engine.types import (
    Band,
    Framework,
    Grade,
    Indicator,
    Kind,
    Measure,
    Plan,
    Rater,
    RubricLevel,
    Source,
)

RATERS = (Rater.SELF, Rater.MANAGER, Rater.PEER)
LEVELS = (
    RubricLevel("excellent", "优", Decimal(100)),
    RubricLevel("good", "良", Decimal(80)),
    RubricLevel("fair", "中", Decimal(60)),
    RubricLevel("poor", "差", Decimal(40)),
)


def build() -> tuple[Framework, Plan]:
    framework = Framework(
        key="bench",
        name_zh="基准框架",
        grades=(
            Grade("A", Decimal(90), Decimal("1.2"), quota_max=Decimal("0.2")),
            Grade("B", Decimal(80), Decimal(1)),
            Grade("C", Decimal(60), Decimal("0.8")),
            Grade("D", Decimal(0), Decimal("0.5"), quota_min=Decimal("0.05")),
        ),
        rater_weights=((Rater.SELF, Decimal(10)), (Rater.MANAGER, Decimal(60)), (Rater.PEER, Decimal(30))),
        bonus_cap=Decimal(5),
        deduction_cap=Decimal(10),
    )
    rated = []
    for i in range(12):
        key = f"i{i}"
        if i < 10:  # rubric: level keys (i < 8) or points (8, 9)
            rated.append(
                Indicator(
                    key,
                    f"指标{i}",
                    Kind.RUBRIC,
                    Decimal(7),
                    source=Source.MANUAL,
                    raters=RATERS,
                    levels=LEVELS,
                )
            )
        elif i == 10:  # a ratio whose actual each rater assesses
            rated.append(
                Indicator(
                    key,
                    f"指标{i}",
                    Kind.RATIO,
                    Decimal(7),
                    target=Decimal(100),
                    cap=Decimal("1.2"),
                    source=Source.MANUAL,
                    raters=RATERS,
                )
            )
        else:
            rated.append(
                Indicator(
                    key,
                    f"指标{i}",
                    Kind.BANDS,
                    Decimal(8),
                    source=Source.MANUAL,
                    raters=RATERS,
                    bands=(
                        Band(None, Decimal(60), Decimal(0)),
                        Band(Decimal(60), Decimal(80), Decimal(70)),
                        Band(Decimal(80), None, Decimal(100)),
                    ),
                )
            )
    extra = (
        Indicator(
            "conversion",
            "转化率",
            Kind.DERIVED,
            Decimal(8),
            formula="orders / inquiries",
            target=Decimal("0.25"),
            cap=Decimal("1.2"),
            source=Source.DERIVED,
        ),
        Indicator(
            "praise",
            "表扬",
            Kind.BONUS,
            source=Source.IMPORT,
            points_per_event=Decimal(1),
            max_points=Decimal(3),
        ),
        Indicator("errors", "失误", Kind.DEDUCTION, source=Source.IMPORT, points_per_event=Decimal(2)),
        Indicator("leak", "泄密", Kind.VETO, source=Source.IMPORT, veto_grade="D", veto_voids_bonus=True),
    )
    plan = Plan(
        "bench",
        "基准细则",
        "bench",
        indicators=(*rated, *extra),
        measures=(Measure("orders", "成交"), Measure("inquiries", "咨询")),
    )
    return framework, plan


def data(n: int, seed: int) -> CycleInputs:
    rng = random.Random(seed)
    keys = [lv.key for lv in LEVELS]
    points = [Decimal(p) for p in range(40, 101)]
    actuals = [Decimal(a) for a in range(40, 131)]
    ratings: dict[tuple[str, Rater], list[RatingCell]] = {}
    for i in range(12):
        for rater in RATERS:
            if i < 8:
                column: list[RatingCell] = [rng.choice(keys) for _ in range(n)]
            elif i < 10:
                column = [rng.choice(points) for _ in range(n)]
            else:
                column = [rng.choice(actuals) for _ in range(n)]
            if rater is Rater.SELF:  # some people skip their self-assessment
                column = [None if rng.random() < 0.05 else c for c in column]
            ratings[(f"i{i}", rater)] = column
    measures: dict[str, list[Decimal | None]] = {
        "orders": [Decimal(rng.randint(0, 60)) for _ in range(n)],
        "inquiries": [Decimal(rng.randint(0, 200)) for _ in range(n)],
        "praise": [Decimal(rng.randint(0, 4)) for _ in range(n)],
        "errors": [Decimal(rng.randint(0, 3)) for _ in range(n)],
        "leak": [Decimal(1) if rng.random() < 0.001 else None for _ in range(n)],
    }
    return CycleInputs([f"E{i:06d}" for i in range(n)], measures, ratings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    scale = float(os.environ.get("BENCH_SCALE", "1"))  # make bench: BENCH_SCALE=0.1 for a quick run
    parser.add_argument("--people", type=int, default=int(100_000 * scale))
    parser.add_argument(
        "--loop-people", type=int, default=None, help="people for the per-person loop (default: all)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    framework, plan = build()
    inputs = data(args.people, args.seed)
    cells = sum(len(c) for c in inputs.ratings.values())
    print(
        f"cycle: {args.people:,} people × 12 rated indicators × 3 raters ({cells:,} rater inputs)"
        " + derived conversion, bonus, deduction, veto"
    )

    start = time.perf_counter()
    result = score_batch(framework, plan, inputs)
    scored = time.perf_counter() - start
    grades = grade_batch(framework, result.total, result.grade_caps)
    rank_competition(result.total)
    check_distribution(framework, grades.grade)
    batch = time.perf_counter() - start
    print(
        f"batch:  score {scored:.3f} s; with grades, ranks, distribution {batch:.3f} s "
        f"→ {args.people / batch:,.0f} people/s"
    )

    loop_n = args.loop_people if args.loop_people is not None else args.people
    start = time.perf_counter()
    for i in range(loop_n):
        score_person(
            framework,
            plan,
            inputs.persons[i],
            {k: v[i] for k, v in inputs.measures.items()},
            {k: v[i] for k, v in inputs.ratings.items()},
            with_trace=False,
        )
    loop = time.perf_counter() - start
    per_person = loop / max(loop_n, 1)
    print(
        f"loop:   {loop_n:,} × score_person {loop:.3f} s → {loop_n / loop:,.0f} people/s "
        f"({per_person * 1e6:,.0f} µs each)"
    )
    print(f"ratio:  per-person loop / batch = {per_person * args.people / scored:.1f}× (scoring only)")


if __name__ == "__main__":
    main()
