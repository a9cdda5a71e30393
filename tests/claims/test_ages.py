"""Pension age by birth date: PP 45/2015 art. 15 — 56 at first, 57 from 2019,
one more year every three years, 65 from 2043 — reached in the calendar year of
the birthday on which the member is at least that year's pension age."""

from datetime import date

import pytest

from claims.ages import birthday, pension_start
from claims.eligibility import pension_age


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        # Turns 56 in 2018, when the age is still 56.
        (date(1962, 5, 10), (56, date(2018, 5, 10))),
        # Turns 56 in 2019, when it is 57; turns 57 in 2020 (57): reached then.
        (date(1963, 3, 1), (57, date(2020, 3, 1))),
        # 2025-2027: 59. Turns 59 in 2026: reached at 59.
        (date(1967, 12, 31), (59, date(2026, 12, 31))),
        # Turns 59 in 2028 (age 60 then), 60 in 2029 (60): reached at 60.
        (date(1969, 1, 1), (60, date(2029, 1, 1))),
        # Turns 64 in 2042, the last year the age is 64: reached at 64 in 2042.
        (date(1978, 7, 1), (64, date(2042, 7, 1))),
        # Turns 64 in 2043, when the age becomes 65: reached at 65 in 2044.
        (date(1979, 1, 15), (65, date(2044, 1, 15))),
        # Everyone younger: 65.
        (date(1995, 6, 30), (65, date(2060, 6, 30))),
    ],
)
def test_pension_age_follows_the_year_of_the_birthday(born, expected):
    assert pension_start(born) == expected


def test_the_age_of_65_from_2043_is_first_reached_in_2044():
    # pension_age(2043) is 65, but whoever is 65 in 2043 (born 1978) was 64 in
    # 2042, when 64 was enough; whoever is 64 in 2043 (born 1979) waits for 65,
    # in 2044. No one first reaches pension age in 2043.
    assert pension_age(2042) == 64
    assert pension_age(2043) == 65
    years = {pension_start(date(year, 6, 1))[1].year for year in range(1960, 2000)}

    assert 2043 not in years
    assert {2042, 2044} <= years


def test_a_leap_day_birthday_falls_on_28_february_in_common_years():
    born = date(1964, 2, 29)

    assert birthday(born, 60) == date(2024, 2, 29)
    assert birthday(born, 61) == date(2025, 2, 28)
    # Turns 56 in 2020 (57 then), 57 in 2021 (57): on 28 February 2021.
    assert pension_start(born) == (57, date(2021, 2, 28))
