"""The JHT balance: paid contributions plus each year's development return."""

from datetime import date
from decimal import Decimal

import pytest

from contributions.balance import BalanceYear, compute_balance, jht_balance_for_member
from contributions.checks import next_month
from contributions.models import Contribution, DevelopmentRate, Employer

REAL_2016 = (Decimal("7.19"), False)


def months_of(year):
    return [date(year, month, 1) for month in range(1, 13)]


def every_month(year, amount):
    return dict.fromkeys(months_of(year), amount)


# --- compute_balance (pure) --------------------------------------------------


def test_three_years_with_different_rates_match_the_hand_computation():
    monthly = {
        **every_month(2016, 100_000),
        date(2017, 3, 1): 200_000,
        date(2017, 10, 1): 300_000,
        date(2018, 7, 1): 60_000,
        date(2018, 12, 1): 120_000,
    }
    rates = {
        2016: REAL_2016,
        2017: (Decimal("7.00"), True),
        2018: (Decimal("6.26"), True),
    }
    # 2016 at 7.19 %: opening 0; month m earns (12 - m)/12 of the rate, so the
    #   twelve months earn 100,000 x (11 + 10 + ... + 0)/12 = 100,000 x 5.5
    #   = 550,000; 550,000 x 7.19 % = 39,545; closing 0 + 1,200,000 + 39,545
    #   = 1,239,545.
    # 2017 at 7.00 %: 1,239,545 (whole year) + 200,000 x 9/12 (March)
    #   + 300,000 x 2/12 (October) = 1,439,545; x 7 % = 100,768.15 -> 100,768;
    #   closing 1,239,545 + 500,000 + 100,768 = 1,840,313.
    # 2018 at 6.26 %: 1,840,313 + 60,000 x 5/12 (July) + 120,000 x 0 (December)
    #   = 1,865,313; x 6.26 % = 116,768.59... -> 116,769;
    #   closing 1,840,313 + 180,000 + 116,769 = 2,137,082.
    balance = compute_balance(monthly, rates, until_year=2018)

    assert balance.years == [
        BalanceYear(2016, 0, 1_200_000, Decimal("7.19"), False, 39_545, 1_239_545),
        BalanceYear(
            2017, 1_239_545, 500_000, Decimal("7.00"), True, 100_768, 1_840_313
        ),
        BalanceYear(
            2018, 1_840_313, 180_000, Decimal("6.26"), True, 116_769, 2_137_082
        ),
    ]
    assert balance.amount == 2_137_082
    assert balance.total_contributions == 1_880_000
    assert balance.total_returns == 39_545 + 100_768 + 116_769
    assert balance.as_of == date(2018, 12, 1)


def test_opening_balance_earns_the_whole_years_rate_and_december_nothing_yet():
    monthly = {date(2016, 12, 1): 1_000_000}
    rates = {2016: REAL_2016, 2017: (Decimal("7.00"), False)}

    first, second = compute_balance(monthly, rates, until_year=2017).years

    assert (first.returns, first.closing) == (0, 1_000_000)
    assert (second.opening, second.returns, second.closing) == (
        1_000_000,
        70_000,
        1_070_000,
    )


def test_january_contribution_earns_eleven_twelfths_of_the_rate():
    # 1,200,000 x 11/12 = 1,100,000; x 7.19 % = 79,090
    balance = compute_balance(
        {date(2016, 1, 1): 1_200_000}, {2016: REAL_2016}, until_year=2016
    )

    assert balance.years[0].returns == 79_090


def test_each_years_return_is_rounded_half_up_to_the_rupiah():
    # 2019: the December contribution earns nothing in its year.
    # 2020: 15,000 x 5.63 % = 844.5 -> 845 (half even would give 844).
    monthly = {date(2019, 12, 1): 15_000}
    rates = {2019: (Decimal("6.08"), True), 2020: (Decimal("5.63"), False)}

    balance = compute_balance(monthly, rates, until_year=2020)

    assert [year.returns for year in balance.years] == [0, 845]
    assert balance.amount == 15_845


def test_year_without_a_rate_earns_nothing_and_shows_no_percent():
    monthly = {**every_month(2016, 100_000), date(2017, 6, 1): 50_000}

    balance = compute_balance(monthly, {2016: REAL_2016}, until_year=2018)

    _, unpublished, later = balance.years
    assert unpublished == BalanceYear(
        2017, 1_239_545, 50_000, None, False, 0, 1_289_545
    )
    assert later == BalanceYear(2018, 1_289_545, 0, None, False, 0, 1_289_545)
    assert balance.amount == 1_289_545


def test_demo_rates_are_flagged_and_published_ones_are_not():
    monthly = {**every_month(2016, 100_000), **every_month(2017, 100_000)}
    rates = {2016: REAL_2016, 2017: (Decimal("7.00"), True)}

    years = compute_balance(monthly, rates, until_year=2017).years

    assert [(year.year, year.rate_is_demo) for year in years] == [
        (2016, False),
        (2017, True),
    ]


def test_years_run_from_the_first_contribution_to_until_year():
    balance = compute_balance(
        {date(2018, 5, 1): 10_000, date(2020, 2, 1): 10_000}, {}, until_year=2022
    )

    assert [year.year for year in balance.years] == [2018, 2019, 2020, 2021, 2022]
    assert balance.years[1].contributions == 0


def test_as_of_is_the_last_paid_period_whatever_the_order():
    monthly = {
        date(2019, 4, 1): 10_000,
        date(2021, 8, 1): 10_000,
        date(2020, 1, 1): 10_000,
    }

    balance = compute_balance(monthly, {}, until_year=2024)

    assert balance.as_of == date(2021, 8, 1)


def test_no_contributions_give_an_empty_balance_of_zero():
    balance = compute_balance({}, {2016: REAL_2016}, until_year=2024)

    assert balance.years == []
    assert balance.as_of is None
    assert balance.amount == 0
    assert balance.total_contributions == 0
    assert balance.total_returns == 0


# --- jht_balance_for_member (database) ----------------------------------------


@pytest.fixture
def employers(db):
    return [
        Employer.objects.create(npp=f"EM00000{n}", name=name, province_code="31")
        for n, name in enumerate(["PT Satu", "PT Dua"], start=1)
    ]


def contribution(member, employer, period, jht, *, paid=True):
    """A report whose JHT is split 65/35 between the two shares."""
    employer_share = jht * 65 // 100
    return Contribution(
        member=member,
        employer=employer,
        period=period,
        wage=jht * 20,
        jht_employer=employer_share,
        jht_employee=jht - employer_share,
        jkm=1_000,  # other programmes never enter the JHT balance
        paid_date=next_month(period).replace(day=10) if paid else None,
    )


def test_member_balance_counts_only_that_members_paid_contributions(
    member, other_member, employers, statutory_figures
):
    first, second = employers
    Contribution.objects.bulk_create(
        [
            *(
                contribution(member, first, period, 100_000)
                for period in months_of(2016)
            ),
            contribution(member, second, date(2016, 6, 1), 50_000, paid=False),
            contribution(member, second, date(2016, 1, 1), 1_000_000, paid=False),
            *(
                contribution(other_member, first, period, 900_000)
                for period in months_of(2016)
            ),
        ]
    )

    balance = jht_balance_for_member(member=member, until_year=2016)

    # The worked example of 2016: 100,000 a month at 7.19 %.
    assert balance.years == [
        BalanceYear(2016, 0, 1_200_000, Decimal("7.19"), False, 39_545, 1_239_545)
    ]
    assert balance.as_of == date(2016, 12, 1)
    assert type(balance.amount) is int


def test_member_balance_ignores_a_month_reported_but_not_yet_paid(
    member, employers, statutory_figures
):
    first, _ = employers
    Contribution.objects.bulk_create(
        [
            contribution(member, first, date(2016, 10, 1), 100_000),
            contribution(member, first, date(2016, 11, 1), 100_000, paid=False),
        ]
    )

    balance = jht_balance_for_member(member=member, until_year=2016)

    assert balance.total_contributions == 100_000
    assert balance.as_of == date(2016, 10, 1)


def test_member_balance_sums_several_employers_in_one_month(
    member, employers, statutory_figures
):
    first, second = employers
    Contribution.objects.bulk_create(
        [
            contribution(member, first, date(2016, 3, 1), 60_000),
            contribution(member, second, date(2016, 3, 1), 40_000),
        ]
    )

    balance = jht_balance_for_member(member=member, until_year=2016)

    # 100,000 x 9/12 = 75,000; x 7.19 % = 5,392.5 -> 5,393
    assert balance.years == [
        BalanceYear(2016, 0, 100_000, Decimal("7.19"), False, 5_393, 105_393)
    ]


def test_member_without_paid_contributions_has_an_empty_balance(
    member, employers, statutory_figures
):
    first, _ = employers
    contribution(member, first, date(2016, 3, 1), 60_000, paid=False).save()

    balance = jht_balance_for_member(member=member, until_year=2024)

    assert balance.years == []
    assert balance.amount == 0
    assert balance.as_of is None


def test_member_balance_uses_development_rates_from_the_database(
    member, employers, statutory_figures
):
    DevelopmentRate.objects.create(
        year=2017, percent=Decimal("7.00"), is_demo=True, source="demo value"
    )
    first, _ = employers
    contribution(member, first, date(2016, 12, 1), 1_000_000).save()

    years = jht_balance_for_member(member=member, until_year=2018).years

    assert [(y.year, y.percent, y.rate_is_demo, y.returns) for y in years] == [
        (2016, Decimal("7.19"), False, 0),
        (2017, Decimal("7.00"), True, 70_000),
        (2018, Decimal("6.26"), False, 66_982),  # 6.26 % of Rp 1,070,000
    ]


@pytest.mark.parametrize("months", [12, 480])
def test_member_balance_query_count_does_not_grow_with_history(
    member, employers, statutory_figures, django_assert_num_queries, months
):
    first, _ = employers
    start = 2024 - months // 12 + 1
    periods = [date(start + n // 12, n % 12 + 1, 1) for n in range(months)]
    Contribution.objects.bulk_create(
        contribution(member, first, period, 100_000) for period in periods
    )

    # Paid JHT per period, the development rates, the paid partial claims.
    with django_assert_num_queries(3):
        balance = jht_balance_for_member(member=member, until_year=2024)

    assert balance.total_contributions == months * 100_000
    assert len(balance.years) == months // 12
