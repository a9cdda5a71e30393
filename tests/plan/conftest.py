import html
import re
from datetime import date
from decimal import Decimal

import pytest

from contributions.models import Contribution, DevelopmentRate, Employer, Employment
from contributions.rates import RateBook
from tests.factories import MemberFactory, nik_for

BORN = date(1970, 3, 15)  # pension age 60, on 15 March 2030


def text_of(response) -> str:
    """The page's text, tags and runs of spaces taken out."""
    page = html.unescape(response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def month_list(first: date, last: date) -> list[date]:
    months, period = [], first
    while period <= last:
        months.append(period)
        period = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return months


def paid_months(member, employer, periods, wage):
    """Months reported and paid on time at the statutory rates."""
    rates = RateBook.load()
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=period,
            wage=wage,
            paid_date=date(period.year + period.month // 12, period.month % 12 + 1, 10),
            **rates.expected(
                wage=wage, period=period, risk_class=employer.risk_class
            ).amounts(),
        )
        for period in periods
    )


@pytest.fixture
def employer(db):
    return Employer.objects.create(
        npp="NPP0000018", name="PT Rencana Sejahtera", risk_class=1, province_code="31"
    )


@pytest.fixture
def returns_2021_to_2025(db):
    """Five yearly returns of 5 %: the default return is then 5 %."""
    for year in range(2021, 2026):
        DevelopmentRate.objects.create(
            year=year, percent=Decimal("5.00"), source="test figure"
        )


@pytest.fixture
def planner(db, statutory_figures, employer, returns_2021_to_2025):
    """Born 15 March 1970, employed since November 2025 at Rp 10,000,000,
    paid up to October 2026."""
    member = MemberFactory(
        full_name="Rina Perencana",
        date_of_birth=BORN,
        nik=nik_for(BORN, female=True, serial=18),
    )
    Employment.objects.create(member=member, employer=employer, start=date(2025, 11, 1))
    paid_months(
        member, employer, month_list(date(2025, 11, 1), date(2026, 10, 1)), 10_000_000
    )
    return member
