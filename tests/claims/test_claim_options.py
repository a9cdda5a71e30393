"""The start-a-claim page: what each option pays today, and from which day an
option that only time stands in the way of becomes possible."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from claims.eligibility import MemberFacts
from claims.models import Claim
from claims.possible_from import possible_from
from contributions.models import Contribution, Employer, Employment
from tests.factories import MemberFactory

R = Claim.Reason
TODAY = date(2026, 12, 6)
pytestmark = pytest.mark.usefixtures("statutory_figures")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-12-06 10:00 +0700", tick=False):
        yield


def facts(**given) -> MemberFacts:
    values = {
        "today": TODAY,
        "age": 40,
        "employments": [(date(2015, 1, 1), None)],
        "first_period": date(2015, 1, 1),
        "paid_periods": set(),
        "jht_balance": 1_000_000,
        "partial_claims": 0,
        "born": date(1986, 6, 1),
    }
    return MemberFacts(**{**values, **given})


@pytest.mark.parametrize(
    ("programme", "reason", "given", "day"),
    [
        # Employment ended 20 November 2026: one month's wait (Permenaker 4/2022).
        (
            "JHT",
            R.RESIGNATION,
            {"employments": [(date(2020, 1, 1), date(2026, 11, 20))]},
            date(2026, 12, 20),
        ),
        # Still employed: leaving a job is not a matter of time.
        ("JHT", R.RESIGNATION, {}, None),
        # JHT in full at 56: born 10 March 1972.
        ("JHT", R.AGE, {"born": date(1972, 3, 10), "age": 54}, date(2028, 3, 10)),
        # Ten years of membership from March 2017 (PP 46/2015 art. 22).
        (
            "JHT",
            R.PARTIAL_RETIREMENT,
            {"first_period": date(2017, 3, 1)},
            date(2027, 3, 1),
        ),
        # Born 12 April 1968: 59 in 2027, when the pension age is 59
        # (PP 45/2015 art. 15: 57 in 2019, +1 every three years).
        ("JP", R.AGE, {"born": date(1968, 4, 12), "age": 58}, date(2027, 4, 12)),
        # Already possible: no date.
        ("JHT", R.PARTIAL_HOUSING, {}, None),
    ],
    ids=["waiting-month", "employed", "age-56", "ten-years", "pension-age", "now"],
)
def test_possible_from(programme, reason, given, day):
    assert possible_from(programme, reason, facts(**given)) == day


@pytest.fixture
def saver_since_2015(db):
    """JHT of Rp 285,000 (5.7 % of Rp 5 jt) paid for January 2015 and for every
    month of 2025, at an employer since 2015."""
    member = MemberFactory()
    employer = Employer.objects.create(
        npp="OP000001", name="PT Opsi", risk_class=1, province_code="31"
    )
    Employment.objects.create(member=member, employer=employer, start=date(2015, 1, 1))
    periods = [date(2015, 1, 1)] + [date(2025, month, 1) for month in range(1, 13)]
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=period,
            wage=5_000_000,
            jht_employer=185_000,
            jht_employee=100_000,
            paid_date=date(period.year + period.month // 12, period.month % 12 + 1, 10),
        )
        for period in periods
    )
    return member


def test_each_open_option_says_what_it_pays_today(client, login, saver_since_2015):
    login(saver_since_2015)

    text = " ".join(
        re.sub(r"<[^>]+>", " ", client.get(reverse("claims:new")).text).split()
    )

    # The balance: 285,000 in 2015; returns on the opening balance of 7.19 %
    # (2016: 20,491.5 -> 20,492), 6.26 % (2018: 19,123.80 -> 19,124), 6.08 %
    # (2019: 19,736.65 -> 19,737), 5.63 % (2020: 19,387.07 -> 19,387): 363,740;
    # no published return for the other years; plus 12 x 285,000 in 2025:
    # 3,783,740. 10 % = 378,374; 30 % = 1,135,122.
    assert "Up to Rp 378,374: 10% of your JHT balance today." in text
    assert "Up to Rp 1,135,122: 30% of your JHT balance today." in text


def test_a_closed_option_says_from_which_day_it_opens(client, login, db):
    member = MemberFactory(date_of_birth=date(1972, 3, 10))
    login(member)

    text = " ".join(
        re.sub(r"<[^>]+>", " ", client.get(reverse("claims:new")).text).split()
    )

    assert "Possible from March 10, 2028." in text  # JHT in full at 56
