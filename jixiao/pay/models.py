"""Pay (薪酬, SPEC §4): the index of the app's models.

Pay is one Django app (label ``pay``, one set of migrations) split into three wings —
``structures`` (pay structures, net profit), ``annual`` (annual bonus runs) and ``monthly``
(monthly pay runs and their inputs) — each with its own ``models.py``. Django loads an app's
models from ``<app>/models.py`` only, so this module imports each wing's models to register
them; code imports a model from its wing, not from here.
"""

from jixiao.pay.annual.models import AnnualBonusLine, AnnualBonusRun
from jixiao.pay.monthly.models import (
    DepartmentCompletion,
    MonthlyPayLine,
    MonthlyPayRun,
    PayAdjustment,
    Sanction,
    TravelDays,
)
from jixiao.pay.structures.models import NetProfit, PayStructure

__all__ = [
    "AnnualBonusLine",
    "AnnualBonusRun",
    "DepartmentCompletion",
    "MonthlyPayLine",
    "MonthlyPayRun",
    "NetProfit",
    "PayAdjustment",
    "PayStructure",
    "Sanction",
    "TravelDays",
]
