"""Synthetic companies with planted rater patterns, for the rater-analysis tests (seeded random).

Each person has a true level ``q`` (percent of full points, N(70, 10)); most have a measured
(KPI) share ``q + N(0, 8)``. Every person is rated by about four raters on three indicators
(top points 10, 10 and 5; ratings are whole levels). A normal rater gives ``q + b + pair noise
N(0, 6) + rating noise N(0, 5)`` with a small personal bias ``b ~ N(0, 2)``. Planted raters:

- lenient / severe: ``b = ±15``;
- central: ``70 + 0.3 (q − 70 + noise)``, everything near the middle;
- same: one level for everyone (80 %);
- far: ratings unrelated to the person (70 + N(0, 18) per person), so unrelated to the KPI evidence;
- disagree: ``q + N(0, 18)`` per person, tracking the person but far from the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from jixiao.engine.raters import Rating

PATTERNS = ("lenient", "severe", "central", "same", "far", "disagree")
# the measure each pattern must be found by (and, for leniency, its direction)
EXPECTED = {
    "lenient": ("leniency", "high"),
    "severe": ("leniency", "low"),
    "central": ("central", "low"),
    "same": ("same", "high"),
    "far": ("evidence", "high"),
    "disagree": ("disagreement", "high"),
}
INDICATORS = (("a", 10), ("b", 10), ("c", 5))


@dataclass
class Company:
    ratings: list[Rating]
    planted: dict[str, str]  # rater → pattern ("normal" for the others)
    quality: dict[str, float]
    bias: dict[str, float]


def company(
    seed: int, n: int, raters: int = 80, per_pattern: int = 4, evidence_share: float = 0.8
) -> Company:
    rnd = random.Random(seed)
    keys = [f"r{i:03d}" for i in range(raters)]
    planted = {k: "normal" for k in keys}
    shuffled = keys[:]
    rnd.shuffle(shuffled)
    for i, pattern in enumerate(PATTERNS):
        for k in shuffled[i * per_pattern : (i + 1) * per_pattern]:
            planted[k] = pattern
    bias = {k: rnd.gauss(0, 2) for k in keys}
    slots = [k for k in keys for _ in range(n)]
    rnd.shuffle(slots)
    ratings: list[Rating] = []
    quality: dict[str, float] = {}
    for p in range(len(slots) // 4):
        group = sorted(set(slots[4 * p : 4 * p + 4]))
        ratee, dept = f"p{p:05d}", f"d{p % 4}"
        q = quality[ratee] = rnd.gauss(70, 10)
        evidence = (
            Decimal(str(round(max(0.0, q + rnd.gauss(0, 8)), 1))) if rnd.random() < evidence_share else None
        )
        for rater in group:
            kind = planted[rater]
            pair = rnd.gauss(0, 6)
            wild = rnd.gauss(0, 18)
            for ind, top in INDICATORS:
                noise = rnd.gauss(0, 5)
                if kind == "central":
                    v = 70 + 0.3 * (q - 70 + pair + noise)
                elif kind == "same":
                    v = 80
                elif kind == "far":
                    v = 70 + bias[rater] + wild + noise
                elif kind == "disagree":
                    v = q + bias[rater] + wild + noise
                else:
                    shift = {"lenient": 15, "severe": -15}.get(kind, 0)
                    v = q + bias[rater] + shift + pair + noise
                level = round(max(0.0, min(100.0, v)) / 100 * top)
                ratings.append(Rating(rater, ratee, dept, ind, Decimal(level), Decimal(top), evidence))
    return Company(ratings, planted, quality, bias)
