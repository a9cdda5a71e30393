"""Demo contribution histories: realistic careers paid by the regulations, with
the problems of PLANTED and no others.

Used by `manage.py seed_demo`. Every other month is what a careful employer
reports: the statutory amounts of its year (the JP cap of the month, no JKP),
the relieved figures where a relief period allowed them, paid by the due date
(on the moved due date itself in a few months, to show that holidays count).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from accounts.models import Member
from contributions.checks import Finding, next_month
from contributions.due_dates import PaymentCalendar
from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employer,
    Employment,
    Industry,
)
from contributions.rates import RateBook
from ibsu.lib.page_cache import invalidate

# (NPP, name, JKK risk class, industry, province code, regency or city code)
EMPLOYERS = [
    ("MJ000001", "PT Maju Jaya Konstruksi", 3, Industry.OTHER, "31", "3173"),
    ("SA000002", "PT Sinar Abadi Textile", 2, Industry.TEXTILES, "32", "3275"),
    ("ND000003", "PT Nusantara Digital", 1, Industry.OTHER, "31", "3174"),
    ("BT000004", "PT Bumi Tani Pangan", 1, Industry.FOOD, "33", "3374"),
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
    2021: "5.59",
    2022: "5.24",
    2023: "5.50",
    2024: "5.60",
    2025: "5.65",
}
# KPJ -> career: (NPP, start, end or None, first wage)
CAREERS = {
    "12345678901": [  # Siti: three employers and a gap between the first two
        ("MJ000001", date(2005, 3, 1), date(2012, 6, 30), 1_450_000),
        ("SA000002", date(2013, 1, 1), date(2019, 8, 31), 3_100_000),
        ("ND000003", date(2019, 9, 1), None, 4_950_000),
    ],
    "12345678902": [  # Budi: one employer for 16 years, everything in order
        ("BT000004", date(2010, 7, 1), None, 2_300_000),
    ],
}
# Months that employers in a relief period paid at the relieved figures (by the
# relief's due date) rather than in full: both are lawful.
RELIEVED = {
    ("ND000003", date(2020, 8, 1)),
    ("ND000003", date(2020, 9, 1)),
    ("ND000003", date(2021, 1, 1)),
    *(("BT000004", date(2025, month, 1)) for month in range(2, 13)),
    ("BT000004", date(2026, 1, 1)),
}
# Months paid on their due date, moved past weekends and holidays.
ON_THE_DUE_DATE = {
    ("ND000003", date(2024, 3, 1)),  # 15 April 2024 was collective leave
    ("BT000004", date(2024, 5, 1)),  # 15–18 June 2024: weekend, Idul Adha, leave
    ("BT000004", date(2018, 5, 1)),  # 15 June 2018 was Idul Fitri
}


@dataclass(frozen=True)
class Planted:
    """A deliberate problem: the warning the demo member must see for it."""

    kpj: str
    finding: str
    npp: str
    first: date
    last: date


PLANTED = [
    Planted(
        "12345678901", Finding.ARREARS, "ND000003", date(2023, 3, 1), date(2023, 5, 1)
    ),
    Planted(
        "12345678901", Finding.UNPAID, "ND000003", date(2025, 10, 1), date(2025, 10, 1)
    ),
    Planted(
        "12345678901", Finding.LATE, "ND000003", date(2024, 1, 1), date(2024, 1, 1)
    ),
    Planted(
        "12345678901", Finding.MISMATCH, "SA000002", date(2017, 5, 1), date(2017, 5, 1)
    ),
    Planted(
        "12345678901",
        Finding.JP_ABOVE_CAP,
        "ND000003",
        date(2024, 6, 1),
        date(2024, 6, 1),
    ),
    Planted(
        "12345678901",
        Finding.BELOW_MINIMUM,
        "ND000003",
        date(2024, 9, 1),
        date(2024, 9, 1),
    ),
]
# The planted problems, by (NPP, period).
MISSING = {("ND000003", date(2023, month, 1)) for month in (3, 4, 5)}
UNPAID = {("ND000003", date(2025, 10, 1))}
PAID_LATE = {("ND000003", date(2024, 1, 1)): date(2024, 3, 25)}
JHT_SHORT = {("SA000002", date(2017, 5, 1)): 25_000}  # the employee share short
JP_ON_FULL_WAGE = {("ND000003", date(2024, 6, 1)): 15_000_000}  # wage above the cap
BELOW_MINIMUM = {("ND000003", date(2024, 9, 1)): 4_800_000}  # Jakarta UMP 2024 is more


@transaction.atomic
def seed_contribution_histories(*, today: date) -> int:
    """(Re)create the demo careers; returns the number of contributions."""
    employers = {}
    for npp, name, risk, industry, province, regency in EMPLOYERS:
        employers[npp], _ = Employer.objects.update_or_create(
            npp=npp,
            defaults={
                "name": name,
                "risk_class": risk,
                "industry": industry,
                "province_code": province,
                "regency_code": regency,
            },
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
    career = _Career(RateBook.load(), PaymentCalendar.load(), today)
    created = []
    for kpj, jobs in CAREERS.items():
        member = Member.objects.get(kpj_number=kpj)
        Contribution.objects.filter(member=member).delete()
        Employment.objects.filter(member=member).delete()
        for npp, start, end, first_wage in jobs:
            employer = employers[npp]
            Employment.objects.create(
                member=member, employer=employer, start=start, end=end
            )
            created.extend(career.months(member, employer, start, end, first_wage))
    Contribution.objects.bulk_create(created)
    invalidate("figures", {row.member_id for row in created})
    return len(created)


class _Career:
    def __init__(self, rates: RateBook, calendar: PaymentCalendar, today: date):
        self.rates, self.calendar, self.today = rates, calendar, today

    def months(self, member, employer, start, end, wage):
        period = start
        last = (end or self.today).replace(day=1)
        while period <= last and self._due(employer, period) < self.today:
            if period.month == 1 and period != start:
                wage = int(wage * 1.07) // 1000 * 1000  # a yearly raise
            if (employer.npp, period) not in MISSING:
                yield self._month(member, employer, period, wage)
            period = next_month(period)

    def _month(self, member, employer, period, wage) -> Contribution:
        key = (employer.npp, period)
        reported = JP_ON_FULL_WAGE.get(key) or BELOW_MINIMUM.get(key) or wage
        expected = self.rates.expected(
            wage=reported,
            period=period,
            risk_class=employer.risk_class,
            industry=employer.industry,
        )
        amounts = expected.amounts()
        if key in RELIEVED:
            amounts.update(expected.relieved)
        if key in JP_ON_FULL_WAGE:
            amounts.update(jp_employer=reported * 2 // 100, jp_employee=reported // 100)
        if key in JHT_SHORT:
            amounts["jht_employee"] -= JHT_SHORT[key]
        paid = next_month(period).replace(day=10)
        if key in RELIEVED or key in ON_THE_DUE_DATE:
            paid = self._due(employer, period)
        if key in UNPAID:
            paid = None
        return Contribution(
            member=member,
            employer=employer,
            period=period,
            wage=reported,
            **amounts,
            paid_date=PAID_LATE.get(key, paid),
        )

    def _due(self, employer, period) -> date:
        return self.calendar.due_date(period, employer.industry)


def planted_for(kpj: str) -> list[Planted]:
    return [problem for problem in PLANTED if problem.kpj == kpj]
