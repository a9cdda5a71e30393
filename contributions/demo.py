"""Demo contribution histories: realistic careers with one of every problem.

Used by `manage.py seed_demo`. Amounts follow the statutory rates, except for
the deliberate problems listed in DEMO_PROBLEMS, so each warning of the
contributions page can be seen.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Member
from contributions.checks import due_date, next_month
from contributions.figures import figures_changed
from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employer,
    Employment,
    MinimumWage,
)
from contributions.rates import RateBook

# (NPP, name, JKK risk class, province code)
EMPLOYERS = [
    ("MJ000001", "PT Maju Jaya Konstruksi", 3, "31"),
    ("SA000002", "PT Sinar Abadi Textile", 2, "32"),
    ("ND000003", "PT Nusantara Digital", 1, "31"),
    ("BT000004", "PT Bumi Tani Sejahtera", 1, "33"),
]
# Plausible JHT returns for the years without a published figure (marked demo).
DEMO_RETURNS = {
    2001: "7.20",
    2002: "7.35",
    2003: "6.90",
    2004: "6.75",
    2005: "6.80",
    2006: "7.10",
    2007: "7.40",
    2008: "6.50",
    2009: "6.95",
    2010: "7.05",
    2011: "6.85",
    2012: "6.60",
    2013: "6.45",
    2014: "6.70",
    2015: "6.85",
    2017: "7.00",
    2018: "6.26",
    2019: "6.08",
    2021: "5.59",
    2022: "5.24",
    2023: "5.50",
    2024: "5.60",
}
# DKI Jakarta's minimum wage, for the low-wage warning (demo figures).
DEMO_MINIMUM_WAGES = {
    ("31", 2023): 4_901_798,
    ("31", 2024): 5_067_381,
    ("31", 2025): 5_396_761,
}
# KPJ -> career: (NPP, start, end or None, first wage)
CAREERS = {
    "12345678901": [  # Siti: three employers and a gap between the first two
        ("MJ000001", date(2005, 3, 1), date(2012, 6, 30), 1_450_000),
        ("SA000002", date(2013, 1, 1), date(2019, 8, 31), 3_100_000),
        ("ND000003", date(2019, 9, 1), None, 4_950_000),
    ],
    "12345678902": [  # Budi: one employer for 15 years, everything in order
        ("BT000004", date(2010, 7, 1), None, 2_300_000),
    ],
}
# Deliberate problems in Siti's history, one per warning.
MISSING = {("ND000003", date(2023, p, 1)) for p in (3, 4, 5)}  # arrears
LATE = {("ND000003", date(2024, 1, 1)): date(2024, 3, 25)}
UNDERPAID = {("SA000002", date(2017, 5, 1))}  # JHT employee share short
ABOVE_CAP = {("ND000003", date(2024, 6, 1)): 15_000_000}  # JP on the full wage
BELOW_MINIMUM = {("ND000003", date(2024, 9, 1)): 4_800_000}


@transaction.atomic
def seed_contribution_histories(*, today: date) -> int:
    """(Re)create the demo careers; returns the number of contributions."""
    employers = {}
    for npp, name, risk, province in EMPLOYERS:
        employers[npp], _ = Employer.objects.update_or_create(
            npp=npp,
            defaults={"name": name, "risk_class": risk, "province_code": province},
        )
    for year, percent in DEMO_RETURNS.items():
        DevelopmentRate.objects.get_or_create(
            year=year,
            defaults={
                "percent": Decimal(percent),
                "is_demo": True,
                "source": "demo value",
            },
        )
    for (province, year), amount in DEMO_MINIMUM_WAGES.items():
        MinimumWage.objects.get_or_create(
            province_code=province,
            year=year,
            defaults={"amount": amount, "source": "demo value"},
        )
    rates = RateBook.load()
    created = []
    for kpj, career in CAREERS.items():
        member = Member.objects.get(kpj_number=kpj)
        Contribution.objects.filter(member=member).delete()
        Employment.objects.filter(member=member).delete()
        for npp, start, end, first_wage in career:
            employer = employers[npp]
            Employment.objects.create(
                member=member, employer=employer, start=start, end=end
            )
            created.extend(
                _career(member, employer, start, end, first_wage, rates, today)
            )
    Contribution.objects.bulk_create(created)
    figures_changed({row.member_id for row in created})
    return len(created)


def _career(member, employer, start, end, wage, rates, today):
    period = start
    last = (end or today).replace(day=1)
    while period <= last and due_date(period) < today:
        key = (employer.npp, period)
        if period.month == 1 and period != start:
            wage = int(wage * 1.07) // 1000 * 1000  # a yearly raise
        reported = ABOVE_CAP.get(key) or BELOW_MINIMUM.get(key) or wage
        if key not in MISSING:
            expected = rates.expected(
                wage=reported, period=period, risk_class=employer.risk_class
            )
            if key in ABOVE_CAP:
                expected = replace(
                    expected,
                    jp_employer=reported * 2 // 100,
                    jp_employee=reported // 100,
                )
            if key in UNDERPAID:
                expected = replace(
                    expected, jht_employee=expected.jht_employee - 25_000
                )
            yield Contribution(
                member=member,
                employer=employer,
                period=period,
                wage=reported,
                **expected.amounts(),
                paid_date=LATE.get(key, next_month(period).replace(day=10)),
            )
        period = next_month(period)
