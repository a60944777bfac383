"""Appraisal cycles (§3, 考核周期): the index of the app's models.

Django loads an app's models from ``<app>/models.py``; the cycles app is split into wings by
stage (lifecycle, entry, results, calibration, review), each with its own ``models.py``, so this
module only imports them. Code imports a model from its wing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.common.models import TimeStamped
from jixiao.cycles.entry.models import Actual, ConflictDeclaration, Rater, Score  # noqa: F401
from jixiao.cycles.lifecycle.models import (  # noqa: F401
    COMPUTED,
    RELEASED,
    WRITABLE,
    Cycle,
    CycleMember,
    CyclePlan,
    RankRelease,
    State,
)
from jixiao.cycles.calibration.models import CalibrationMove  # noqa: F401
from jixiao.cycles.results.models import Result
from jixiao.cycles.review.models import DepartmentSummary, FeedbackInterview, Finding, Rectification  # noqa: F401
