"""Birthdays and the pension age of PP 45/2015 art. 15 for one member."""

import calendar
from datetime import date

from claims.eligibility import pension_age

# pension_age() runs from 56 to 65: every member reaches it in that range.
FIRST_PENSION_AGE, LAST_PENSION_AGE = 56, 65


def birthday(born: date, age: int) -> date:
    """The day the member turns `age`; 28 February in common years for those
    born on 29 February."""
    year = born.year + age
    if (born.month, born.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return born.replace(year=year)


def pension_start(born: date) -> tuple[int, date]:
    """(age, day) on which the member reaches pension age.

    The pension age is the one in force in the calendar year of the birthday
    (PP 45/2015 art. 15): 57 from 2019, one more year every three years, 65
    from 2043. Someone born in 1978 turns 64 in 2042, when the age is 64, and
    reaches it then; someone born in 1979 turns 64 in 2043, when it is 65, and
    reaches it at 65 in 2044.
    """
    return next(
        (age, birthday(born, age))
        for age in range(FIRST_PENSION_AGE, LAST_PENSION_AGE + 1)
        if age >= pension_age(born.year + age)
    )
