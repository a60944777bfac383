"""Benchmark the rater analysis engine (评分者分析) on a synthetic company with planted raters.

Prints the time, peak memory and flags of ``engine.raters.analyse`` for R raters × N people each
(three indicators a person), beside the baseline of one pass that only normalises and groups the
same ratings; and how many planted raters were found. Prints figures; asserts nothing.

    .venv/bin/python -m bench.raters [--raters 1000] [--people 20]
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from collections import defaultdict
from fractions import Fraction

from jixiao.engine.raters import analyse
from jixiao.engine.tests.planted import EXPECTED, company


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--raters", type=int, default=max(40, int(1000 * scale)))
    parser.add_argument("--people", type=int, default=20)
    args = parser.parse_args()
    c = company(1, args.people, raters=args.raters, per_pattern=max(1, args.raters // 20))
    start = time.perf_counter()
    groups: dict[tuple[str, str], list[Fraction]] = defaultdict(list)
    for r in c.ratings:
        groups[(r.rater, r.ratee)].append(Fraction(r.given) * 100 / Fraction(r.top))
    baseline = time.perf_counter() - start
    tracemalloc.start()
    start = time.perf_counter()
    result = analyse(c.ratings)
    took = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    found = sum(
        1
        for r in result.raters
        if c.planted[r.rater] != "normal" and r.measure(EXPECTED[c.planted[r.rater]][0]).flagged
    )
    planted = sum(1 for v in c.planted.values() if v != "normal")
    flagged = sum(1 for r in result.raters if r.flags)
    print(f"ratings {len(c.ratings):,}, raters {args.raters:,}, people per rater {args.people}")
    print(
        f"analyse: {took:.2f} s (traced), peak {peak / 2**20:.0f} MiB; baseline normalise+group {baseline:.2f} s"
    )
    print(f"planted found {found}/{planted}; raters flagged {flagged}")


if __name__ == "__main__":
    main()
