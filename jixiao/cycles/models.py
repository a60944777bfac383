"""Appraisal cycles (§3, 考核周期): the index of the app's models.

Django loads an app's models from ``<app>/models.py``; the cycles app is split into wings by
stage (lifecycle, entry, results, calibration, review), each with its own ``models.py``, so this
module only imports them to register them. Code imports a model from its wing, not from here.
"""

from jixiao.cycles.calibration.models import CalibrationMove
from jixiao.cycles.entry.models import Actual, ConflictDeclaration, Score
from jixiao.cycles.lifecycle.models import Cycle, CycleHold, CycleMember, CyclePlan, RankRelease
from jixiao.cycles.results.models import Result, ResultVersion
from jixiao.cycles.review.models import DepartmentSummary, FeedbackInterview, Finding, Rectification

__all__ = [
    "Actual",
    "CalibrationMove",
    "ConflictDeclaration",
    "Cycle",
    "CycleHold",
    "CycleMember",
    "CyclePlan",
    "DepartmentSummary",
    "FeedbackInterview",
    "Finding",
    "RankRelease",
    "Rectification",
    "Result",
    "ResultVersion",
    "Score",
]
