"""Rater analysis (SPEC §8, 杜绝徇私舞弊): leniency, severity, central tendency, sameness, distance from evidence, disagreement."""
