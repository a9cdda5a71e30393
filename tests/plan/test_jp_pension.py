"""The JP pension by PP 45/2015: art. 17 (1 % x months / 12 x the average JP
wage indexed by inflation), art. 18 (minimum and maximum), the lump sum under
180 months, deferral up to 3 years (art. 15(4)). Expected rupiah are worked out
by hand in the comments."""

from datetime import date
from decimal import Decimal

from plan.career import Career, Rates
from plan.jp import (
    JpCaps,
    JpMonth,
    Limit,
    indexed_wages,
    jp_lump_sum,
    jp_outlook,
    limit_today,
)

RATES = Rates(
    jht_employer=Decimal("3.7"),
    jht_employee=Decimal("2.0"),
    jp_employer=Decimal("2.0"),
    jp_employee=Decimal("1.0"),
)
TODAY = date(2026, 12, 6)
BORN = date(1970, 3, 15)  # pension age 60, on 15 March 2030 (see test_ages)
NO_CAPS = JpCaps([], growth=Decimal(0))


def months_up_to(last: date, count: int, *, wage: int) -> list[JpMonth]:
    """`count` months ending with `last`, each at `wage`, JP paid at 3 %."""
    index = last.year * 12 + last.month - 1
    periods = [
        date(i // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)
    ]
    return [JpMonth(period, wage, wage * 3 // 100) for period in periods]


def career(*, contributing, wage=5_000_000, growth=0):
    return Career(
        last_period=date(2026, 10, 1),
        wage=wage,
        growth_percent=Decimal(growth),
        contributing=contributing,
        this_year=2026,
    )


def outlook(paid, *, contributing=False, born=BORN, minimum=None, maximum=None, **kw):
    return jp_outlook(
        paid=paid,
        career=career(contributing=contributing, **kw),
        rates=RATES,
        caps=NO_CAPS,
        born=born,
        today=TODAY,
        inflation=Decimal(0),
        minimum=minimum,
        maximum=maximum,
        published_returns={},
        expected_return=Decimal(0),
    )


def test_180_months_give_a_monthly_pension_by_the_formula():
    jp = outlook(months_up_to(date(2026, 10, 1), 180, wage=5_000_000))

    # 1 % x 180 / 12 years x 5,000,000 = 1 % x 15 x 5,000,000 = 750,000.
    first = jp.first
    assert (first.months, first.by_formula, first.monthly) == (180, 750_000, 750_000)
    assert first.average_wage == 5_000_000
    assert (first.starts, first.age) == (date(2030, 3, 15), 60)
    assert first.lump_sum is None
    assert jp.threshold == date(2026, 10, 1)
    assert jp.months_so_far == 180


def test_179_months_give_a_lump_sum_of_contributions_and_returns():
    jp = outlook(months_up_to(date(2026, 10, 1), 179, wage=5_000_000))

    # No return here (none published, 0 % expected): 179 x 3 % x 5,000,000
    # = 179 x 150,000 = 26,850,000.
    first = jp.first
    assert (first.months, first.monthly, first.by_formula) == (179, None, None)
    assert (first.lump_sum, first.lump_sum_today) == (26_850_000, 26_850_000)
    assert jp.threshold is None


def test_a_lump_sum_earns_the_yearly_return_by_the_in_year_rule():
    months = [
        JpMonth(date(2025, 6, 1), 10_000_000, 300_000),
        JpMonth(date(2025, 12, 1), 10_000_000, 300_000),
    ]

    # 2025 at 6 %: June earns 6/12, December nothing: 300,000 x 6/12 x 6 % = 9,000
    #   -> 609,000. 2026 at 5 %: 609,000 x 5 % = 30,450 -> 639,450.
    amount = jp_lump_sum(
        months, returns={2025: Decimal(6), 2026: Decimal(5)}, until_year=2026
    )

    assert amount == 639_450


def test_wages_are_indexed_to_this_years_prices():
    months = months_up_to(date(2025, 12, 1), 12, wage=4_000_000) + months_up_to(
        date(2026, 12, 1), 12, wage=5_000_000
    )

    # 2025: 12 x 4,000,000 x 1.10 = 52,800,000; 2026: 12 x 5,000,000 = 60,000,000.
    total = indexed_wages(months, inflation=Decimal(10), this_year=2026)

    assert total == Decimal(112_800_000)


def test_the_pension_stays_within_the_minimum_and_maximum():
    minimum = Limit(published=393_500, year=2024, confirmed=False, today=400_000)
    maximum = Limit(published=4_718_200, year=2024, confirmed=False, today=5_000_000)

    low = outlook(
        months_up_to(date(2026, 10, 1), 180, wage=2_000_000),
        minimum=minimum,
        maximum=maximum,
    ).first
    high = outlook(
        months_up_to(date(2026, 10, 1), 180, wage=40_000_000),
        minimum=minimum,
        maximum=maximum,
    ).first

    # 1 % x 15 x 2,000,000 = 300,000: raised to the minimum, 400,000.
    assert (low.by_formula, low.monthly) == (300_000, 400_000)
    # 1 % x 15 x 40,000,000 = 6,000,000: held to the maximum, 5,000,000.
    assert (high.by_formula, high.monthly) == (6_000_000, 5_000_000)


def test_the_limits_move_to_todays_prices():
    # 393,500 x 1.025^2 = 393,500 x 1.050625 = 413,420.9375 -> 413,421.
    # 4,718,200 x 1.050625 = 4,957,058.875 -> 4,957,059.
    minimum = limit_today(
        393_500, year=2024, confirmed=False, this_year=2026, inflation=Decimal("2.5")
    )
    maximum = limit_today(
        4_718_200, year=2024, confirmed=False, this_year=2026, inflation=Decimal("2.5")
    )

    assert (minimum.today, maximum.today) == (413_421, 4_957_059)


def test_the_180th_month_comes_from_the_months_still_to_work():
    jp = outlook(
        months_up_to(date(2026, 10, 1), 170, wage=5_000_000), contributing=True
    )

    # Month 171 is November 2026; month 180 is nine months later, August 2027.
    assert jp.threshold == date(2027, 8, 1)
    assert jp.months_so_far == 170


def test_starting_later_adds_the_months_worked_meanwhile():
    jp = outlook(
        months_up_to(date(2026, 10, 1), 180, wage=5_000_000), contributing=True
    )

    # To March 2030: 180 + Nov-Dec 2026 (2) + 2027-2029 (36) + Jan-Feb 2030 (2)
    #   = 220 months; 220 x 5,000,000 / 1,200 = 916,666.67 -> 916,667.
    # A year later 232 months: 966,666.67 -> 966,667; then 244 -> 1,016,667;
    #   256 -> 1,066,667.
    assert [(o.starts, o.age, o.months, o.monthly) for o in jp.options] == [
        (date(2030, 3, 15), 60, 220, 916_667),
        (date(2031, 3, 15), 61, 232, 966_667),
        (date(2032, 3, 15), 62, 244, 1_016_667),
        (date(2033, 3, 15), 63, 256, 1_066_667),
    ]
    assert [gain for _option, gain in jp.later] == [50_000, 100_000, 150_000]


def test_waiting_can_turn_a_lump_sum_into_a_monthly_pension():
    # 150 months by October 2026; 40 more to March 2030 = 190: monthly already.
    # With 130: 170 at pension age (lump sum), 182 a year later (monthly).
    jp = outlook(
        months_up_to(date(2026, 10, 1), 130, wage=5_000_000), contributing=True
    )

    # Lump sum at 60: (130 + 40) x 150,000 = 25,500,000 (no return here).
    assert (jp.first.months, jp.first.lump_sum) == (170, 25_500_000)
    # At 61: 182 x 5,000,000 / 1,200 = 758,333.33 -> 758,333.
    second, gain = jp.later[0]
    assert (second.months, second.monthly, gain) == (182, 758_333, None)


def test_past_pension_age_the_estimate_is_for_claiming_now():
    # Born 10 January 1960: turned 56 in 2016, when the pension age was 56.
    jp = outlook(
        months_up_to(date(2026, 10, 1), 100, wage=5_000_000),
        born=date(1960, 1, 10),
    )

    assert jp.reached
    assert (jp.pension_age, jp.pension_day) == (56, date(2016, 1, 10))
    # Claimed now, at 66: 100 x 150,000 = 15,000,000.
    assert [(o.starts, o.age, o.months, o.lump_sum) for o in jp.options] == [
        (TODAY, 66, 100, 15_000_000)
    ]


def test_the_cap_of_a_year_not_in_the_table_grows_from_the_latest():
    caps = JpCaps(
        [(date(2024, 3, 1), 10_042_300), (date(2025, 3, 1), 10_547_400)],
        growth=Decimal(5),
    )

    # February 2025 is still under the March 2024 cap.
    assert caps.for_period(date(2025, 2, 1)) == 10_042_300
    # 2026: 10,547,400 x 1.05 = 11,074,770, from March 2026 to February 2027.
    assert caps.for_period(date(2026, 5, 1)) == 11_074_770
    assert caps.for_period(date(2027, 2, 1)) == 11_074_770
    # 2027: 10,547,400 x 1.05^2 = 11,628,508.5 -> 11,628,509.
    assert caps.for_period(date(2027, 3, 1)) == 11_628_509
    assert caps.jp_wage(15_000_000, date(2025, 6, 1)) == 10_547_400
    assert caps.jp_wage(9_000_000, date(2025, 6, 1)) == 9_000_000
