"""The statutory arithmetic: what each programme charges for a month's wage.

Figure tests use RateBook.load() on the figures of the migrations, so they also
prove the figures were loaded right; the pure cases build a RateBook from
unsaved objects (tests/contributions/statutory.py).
"""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from contributions.models import StatutoryRate, WageCap
from contributions.rates import Expected, RateBook, percent_of
from tests.contributions.statutory import rate_book

WAGE = 5_000_000
JUNE_2024 = date(2024, 6, 1)


@pytest.fixture
def book(statutory_figures):
    return RateBook.load()


def rate(programme, percent, start, *, payer="employer", risk_class=None):
    return StatutoryRate(
        programme=programme,
        payer=payer,
        risk_class=risk_class,
        effective_from=start,
        percent=Decimal(percent),
        source="test",
    )


def cap(start, amount):
    return WageCap(effective_from=start, amount=amount, source="test")


FOUNDING = date(1993, 1, 1)
# The figures of the migrations as unsaved objects, for the pure cases.
PURE_BOOK = rate_book()


# --- each programme's arithmetic ---------------------------------------------


def test_a_2024_wage_gets_every_programmes_statutory_amount(book):
    expected = book.expected(wage=WAGE, period=JUNE_2024, risk_class=1)

    assert expected == Expected(
        jht_employer=185_000,  # 3.7 %
        jht_employee=100_000,  # 2 %
        jp_employer=100_000,  # 2 %
        jp_employee=50_000,  # 1 %
        jkk=12_000,  # 0.24 %, very low risk
        jkm=15_000,  # 0.30 %
        jp_base=WAGE,
    )


def test_jht_is_3_7_percent_from_the_employer_and_2_percent_from_the_employee(book):
    expected = book.expected(wage=WAGE, period=date(2010, 1, 1), risk_class=1)

    assert (expected.jht_employer, expected.jht_employee) == (185_000, 100_000)


def test_jp_is_2_percent_from_the_employer_and_1_percent_from_the_employee(book):
    expected = book.expected(wage=WAGE, period=JUNE_2024, risk_class=1)

    assert (expected.jp_employer, expected.jp_employee) == (100_000, 50_000)


@pytest.mark.parametrize(
    ("risk_class", "jkk"),
    [(1, 12_000), (2, 27_000), (3, 44_500), (4, 63_500), (5, 87_000)],
)
def test_jkk_rate_follows_the_employers_risk_class(book, risk_class, jkk):
    # 0.24 / 0.54 / 0.89 / 1.27 / 1.74 % of Rp 5,000,000
    expected = book.expected(wage=WAGE, period=JUNE_2024, risk_class=risk_class)

    assert expected.jkk == jkk


def test_jkk_rate_does_not_change_the_other_programmes(book):
    low = book.expected(wage=WAGE, period=JUNE_2024, risk_class=1)
    high = book.expected(wage=WAGE, period=JUNE_2024, risk_class=5)

    assert dataclasses.replace(high, jkk=low.jkk) == low


def test_jkm_is_0_30_percent(book):
    assert book.expected(wage=WAGE, period=JUNE_2024, risk_class=1).jkm == 15_000


def test_rate_in_force_on_the_periods_last_day_applies_to_the_whole_month():
    book = RateBook(
        [rate("JKM", "0.30", FOUNDING), rate("JKM", "0.50", date(2024, 3, 31))], []
    )

    assert book.rate("JKM", "employer", date(2024, 2, 1)) == Decimal("0.30")
    assert book.rate("JKM", "employer", date(2024, 3, 1)) == Decimal("0.50")


def test_rate_starting_on_the_last_day_of_a_month_applies_to_that_month():
    book = RateBook([rate("JKM", "0.30", date(2024, 3, 31))], [])

    assert book.rate("JKM", "employer", date(2024, 2, 1)) == 0
    assert book.rate("JKM", "employer", date(2024, 3, 1)) == Decimal("0.30")


def test_rate_starting_on_the_first_of_a_month_does_not_reach_back():
    book = RateBook(
        [rate("JKM", "0.30", FOUNDING), rate("JKM", "0.50", date(2024, 4, 1))], []
    )

    assert book.rate("JKM", "employer", date(2024, 3, 1)) == Decimal("0.30")
    assert book.rate("JKM", "employer", date(2024, 4, 1)) == Decimal("0.50")


def test_no_jp_before_july_2015(book):
    june = book.expected(wage=WAGE, period=date(2015, 6, 1), risk_class=1)
    july = book.expected(wage=WAGE, period=date(2015, 7, 1), risk_class=1)

    assert (june.jp_employer, june.jp_employee) == (0, 0)
    assert june.jht_employer == 185_000  # JHT existed long before
    assert (july.jp_employer, july.jp_employee) == (100_000, 50_000)


def test_employers_are_charged_no_jkp_at_any_time(book):
    # PP 37/2021 art. 11 and PP 6/2025: JKP is financed inside BPJS.
    for period in (date(2021, 2, 1), date(2025, 2, 1)):
        expected = book.expected(wage=WAGE, period=period, risk_class=1)
        assert "jkp" not in expected.amounts()
        assert book.rate("JKP", "employer", period) == 0


def test_unknown_programme_or_risk_class_charges_nothing(book):
    assert book.rate("XYZ", "employer", JUNE_2024) == 0
    assert book.expected(wage=WAGE, period=JUNE_2024, risk_class=None).jkk == 0


def test_loading_the_book_costs_four_queries(
    statutory_figures, django_assert_num_queries
):
    # rates, caps, relief periods, JKP funding
    with django_assert_num_queries(4):
        RateBook.load()


# --- the JP wage cap ---------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "cap_amount"),
    [
        (date(2015, 6, 1), None),
        (date(2015, 7, 1), 7_000_000),
        (date(2016, 2, 1), 7_000_000),
        (date(2016, 3, 1), 7_335_300),
        (date(2024, 2, 1), 9_559_600),
        (date(2024, 3, 1), 10_042_300),
        (date(2025, 2, 1), 10_042_300),
        (date(2025, 3, 1), 10_547_400),
    ],
    ids=str,
)
def test_jp_cap_changes_each_march(book, period, cap_amount):
    assert book.jp_cap(period) == cap_amount


def test_cap_in_force_on_the_periods_last_day_applies_to_the_whole_month():
    book = RateBook(
        [], [cap(date(2023, 3, 1), 9_000_000), cap(date(2024, 3, 15), 10_000_000)]
    )

    assert book.jp_cap(date(2024, 2, 1)) == 9_000_000
    assert book.jp_cap(date(2024, 3, 1)) == 10_000_000


@pytest.mark.parametrize(
    "wage",
    [10_042_300, 10_042_301, 50_000_000],
    ids=["at-cap", "one-rupiah-above", "far-above"],
)
def test_jp_is_computed_on_the_wage_up_to_the_cap(book, wage):
    expected = book.expected(wage=wage, period=date(2024, 3, 1), risk_class=1)

    assert expected.jp_base == 10_042_300
    assert expected.jp_employer == 200_846  # 2 % of 10,042,300
    assert expected.jp_employee == 100_423  # 1 % of 10,042,300


def test_jp_base_is_the_wage_itself_below_the_cap(book):
    expected = book.expected(wage=10_042_299, period=date(2024, 3, 1), risk_class=1)

    assert expected.jp_base == 10_042_299
    assert expected.jp_employer == 200_846  # 200,845.98
    assert expected.jp_employee == 100_423  # 100,422.99


def test_february_2024_still_uses_the_2023_cap(book):
    expected = book.expected(wage=10_042_300, period=date(2024, 2, 1), risk_class=1)

    assert expected.jp_base == 9_559_600
    assert (expected.jp_employer, expected.jp_employee) == (191_192, 95_596)


def test_the_cap_limits_only_jp(book):
    expected = book.expected(wage=50_000_000, period=date(2024, 3, 1), risk_class=1)

    assert expected.jht_employer == 1_850_000
    assert expected.jht_employee == 1_000_000
    assert expected.jkk == 120_000
    assert expected.jkm == 150_000


def test_a_year_whose_cap_is_not_in_the_table_leaves_jp_unknown():
    book = RateBook(
        [rate("JP", "2.000", date(2015, 7, 1))], [cap(date(2023, 3, 1), 9_559_600)]
    )

    february = book.expected(wage=50_000_000, period=date(2024, 2, 1), risk_class=1)
    march = book.expected(wage=50_000_000, period=date(2024, 3, 1), risk_class=1)

    assert (february.jp_base, february.jp_employer) == (9_559_600, 191_192)
    # The 2023 cap is never reused for the 2024 cap year.
    assert (march.jp_base, march.jp_employer, march.jp_employee) == (None, None, None)


# --- rounding and money ------------------------------------------------------
# Each wage gives exactly half a rupiah; half up rounds to the odd rupiah where
# banker's rounding (half even) or truncation would give the even one below.


@pytest.mark.parametrize(
    ("field", "wage", "period", "amount"),
    [
        ("jkm", 1_233_500, JUNE_2024, 3_701),  # 0.30 % = 3,700.5
        ("jht_employer", 1_234_500, JUNE_2024, 45_677),  # 3.7 % = 45,676.5
        ("jht_employee", 1_234_525, JUNE_2024, 24_691),  # 2 % = 24,690.5
        ("jp_employee", 1_234_450, JUNE_2024, 12_345),  # 1 % = 12,344.5
        ("jkk", 1_251_875, JUNE_2024, 3_005),  # 0.24 % = 3,004.5
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_amounts_are_rounded_half_up_to_the_rupiah(field, wage, period, amount):
    expected = PURE_BOOK.expected(wage=wage, period=period, risk_class=1)

    assert getattr(expected, field) == amount


def test_less_than_half_a_rupiah_rounds_down():
    # 0.30 % of 1,233,499 = 3,700.497
    assert PURE_BOOK.expected(wage=1_233_499, period=JUNE_2024, risk_class=1).jkm == (
        3_700
    )


def test_percent_of_rounds_half_up_and_returns_int():
    result = percent_of(1_233_500, Decimal("0.30"))

    assert result == 3_701
    assert type(result) is int


def test_the_pure_book_agrees_with_the_loaded_figures(book):
    for period in (date(2014, 1, 1), JUNE_2024, date(2025, 1, 1), date(2025, 2, 1)):
        for risk_class in range(1, 6):
            assert book.expected(
                wage=7_654_321, period=period, risk_class=risk_class
            ) == PURE_BOOK.expected(
                wage=7_654_321, period=period, risk_class=risk_class
            )


@pytest.mark.parametrize("wage", [0, 1, 1_233_500, 7_654_321, 50_000_000])
def test_every_expected_amount_is_an_int_never_a_float(book, wage):
    expected = book.expected(wage=wage, period=date(2025, 2, 1), risk_class=3)

    for name, value in {**expected.amounts(), "jp_base": expected.jp_base}.items():
        assert type(value) is int, (name, value)


def test_zero_wage_charges_nothing(book):
    expected = book.expected(wage=0, period=JUNE_2024, risk_class=5)

    assert set(expected.amounts().values()) == {0}
    assert expected.jp_base == 0
