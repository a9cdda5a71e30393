"""Contribution records (records.py) and the statutory figures they are judged
by (statutory.py)."""

from contributions.models.records import (
    Contribution,
    Employer,
    Employment,
    Industry,
    Payer,
    Programme,
    RiskClass,
)
from contributions.models.statutory import (
    DevelopmentRate,
    Holiday,
    JkpFunding,
    MinimumWage,
    PaymentTerms,
    ReliefPeriod,
    StatutoryRate,
    WageCap,
    WorkingDayShift,
)

__all__ = [
    "Contribution",
    "DevelopmentRate",
    "Employer",
    "Employment",
    "Holiday",
    "Industry",
    "JkpFunding",
    "MinimumWage",
    "Payer",
    "PaymentTerms",
    "Programme",
    "ReliefPeriod",
    "RiskClass",
    "StatutoryRate",
    "WageCap",
    "WorkingDayShift",
]
