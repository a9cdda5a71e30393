"""JHT projected to an age: expected rupiah worked out by hand from the in-year
rule of contributions/balance.py (a year's return on the opening balance for
the whole year, and on a month's contribution for the months left after it,
rounded half up) and the JHT rates of PP 46/2015 art. 16 (3.7 % + 2 %)."""

from datetime import date
from decimal import Decimal

from contributions.balance import BalanceYear, JhtBalance
from plan.career import Career, Rates
from plan.jht import grow_balance, project_jht

RATES = Rates(
    jht_employer=Decimal("3.7"),
    jht_employee=Decimal("2.0"),
    jp_employer=Decimal("2.0"),
    jp_employee=Decimal("1.0"),
)
PERCENTS = (Decimal(4), Decimal(5), Decimal(6))
BORN = date(1970, 3, 15)  # turns 57 in March 2027


def this_year_so_far(*, percent=None, returns=0):
    """10,000,000 at the start of 2026; September and October paid, 570,000 each."""
    year = BalanceYear(
        2026, 10_000_000, 1_140_000, percent, False, returns, 11_140_000 + returns
    )
    return JhtBalance(years=[year], as_of=date(2026, 10, 1))


PAID_2026 = {date(2026, 9, 1): 570_000, date(2026, 10, 1): 570_000}


def career(*, contributing=True):
    return Career(
        last_period=date(2026, 10, 1),
        wage=10_000_000,
        growth_percent=Decimal(10),
        contributing=contributing,
        this_year=2026,
    )


def test_an_opening_balance_grows_by_the_whole_years_return():
    # 1,000,000 x 5 % = 50,000 -> 1,050,000; x 5 % = 52,500 -> 1,102,500.
    years = grow_balance(
        opening=1_000_000,
        first_year=2027,
        monthly={},
        percents={2027: Decimal(5), 2028: Decimal(5)},
        until_year=2028,
    )

    assert [(y.year, y.opening, y.returns, y.closing) for y in years] == [
        (2027, 1_000_000, 50_000, 1_050_000),
        (2028, 1_050_000, 52_500, 1_102_500),
    ]


def test_balance_at_57_with_the_months_to_come_and_a_wage_rise():
    projection = project_jht(
        balance=this_year_so_far(),
        paid_this_year=PAID_2026,
        career=career(),
        rates=RATES,
        born=BORN,
        age=57,
        percents=PERCENTS,
        inflation=Decimal(2),
    )

    # Wage 10,000,000: 3.7 % = 370,000 + 2 % = 200,000 = 570,000 a month.
    # 2027 wage: 10,000,000 x 1.10 = 11,000,000: 407,000 + 220,000 = 627,000.
    # Months: Sep, Oct (paid), Nov, Dec 2026; Jan, Feb 2027 (turns 57 in March).
    # 2026 at 5 %: opening 11,140,000 - 1,140,000 = 10,000,000; months earn
    #   570,000 x (3 + 2 + 1 + 0)/12 = 285,000; 10,285,000 x 5 % = 514,250;
    #   closing 10,000,000 + 4 x 570,000 + 514,250 = 12,794,250.
    # 2027 at 5 %: 12,794,250 + 627,000 x (11 + 10)/12 = 13,891,500;
    #   x 5 % = 694,575; closing 12,794,250 + 1,254,000 + 694,575 = 14,742,825.
    assert [
        (y.year, y.contributions, y.returns, y.closing)
        for y in projection.expected.years
    ] == [
        (2026, 2_280_000, 514_250, 12_794_250),
        (2027, 1_254_000, 694_575, 14_742_825),
    ]
    # 4 %: 10,285,000 x 4 % = 411,400 -> 12,691,400;
    #   (12,691,400 + 1,097,250) x 4 % = 551,546 -> 12,691,400 + 1,254,000 + 551,546.
    assert projection.low.amount == 14_496_946
    # 6 %: 617,100 -> 12,897,100; (12,897,100 + 1,097,250) x 6 % = 839,661.
    assert projection.high.amount == 12_897_100 + 1_254_000 + 839_661 == 14_990_761
    # One year ahead at 2 % inflation: 14,742,825 / 1.02 = 14,453,750.
    assert projection.in_todays_money == 14_453_750
    assert (projection.year, projection.age, projection.today) == (2027, 57, 11_140_000)
    assert projection.monthly_contribution == 570_000
    assert [
        (row.year, row.age, row.wage, row.low, row.high) for row in projection.rows
    ] == [
        (2026, 56, 10_000_000, 12_691_400, 12_897_100),
        (2027, 57, 11_000_000, 14_496_946, 14_990_761),
    ]


def test_a_published_return_for_this_year_is_kept_in_every_estimate():
    # 2026 credited at 7 %: 10,000,000 x 7 % = 700,000 already in today's balance.
    balance = JhtBalance(
        years=[
            BalanceYear(2026, 10_000_000, 0, Decimal(7), False, 700_000, 10_700_000)
        ],
        as_of=date(2025, 12, 1),
    )
    projection = project_jht(
        balance=balance,
        paid_this_year={},
        career=career(contributing=False),
        rates=RATES,
        born=BORN,
        age=57,
        percents=PERCENTS,
        inflation=Decimal(0),
    )

    # 2026 stays 10,700,000 in all three; 2027: x 4 % = 428,000, x 5 % = 535,000,
    # x 6 % = 642,000.
    assert [y.closing for y in projection.expected.years] == [10_700_000, 11_235_000]
    assert (projection.low.amount, projection.high.amount) == (11_128_000, 11_342_000)
    assert [row.wage for row in projection.rows] == [None, None]


def test_without_an_open_employment_only_returns_are_added():
    projection = project_jht(
        balance=this_year_so_far(),
        paid_this_year=PAID_2026,
        career=career(contributing=False),
        rates=RATES,
        born=BORN,
        age=57,
        percents=PERCENTS,
        inflation=Decimal(0),
    )

    # 2026: (10,000,000 + 570,000 x (3 + 2)/12) x 5 % = 10,237,500 x 5 % = 511,875
    #   -> 11,140,000 + 511,875 = 11,651,875; 2027: x 5 % = 582,593.75 -> 582,594
    #   -> 12,234,469.
    assert projection.expected.amount == 12_234_469
    assert [y.contributions for y in projection.expected.years] == [1_140_000, 0]
