"""The member's work as the projections assume it goes on, and the arithmetic
the projections share.

Rounding: amounts are integer rupiah, each rounded half up once where it is
worked out (a year's wage, each payer's share of a contribution, a year's
return, a limit moved to today's prices, a conversion to today's money, a
monthly pension); sums of amounts already rounded stay exact.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contributions.checks import next_month
from contributions.rates import percent_of


def round_rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compound(amount: int, percent: Decimal, years: int) -> Decimal:
    """`amount` grown by `percent` a year for `years` (shrunk when negative)."""
    return Decimal(amount) * (1 + percent / 100) ** years


def in_todays_money(amount: int, *, inflation: Decimal, years_ahead: int) -> int:
    """An amount of a later year in today's rupiah, prices rising `inflation` %."""
    return round_rupiah(compound(amount, inflation, -years_ahead))


def months_between(first: date, end: date) -> list[date]:
    """First days of the months from `first`'s up to, not including, `end`'s."""
    months, period, stop = [], first.replace(day=1), end.replace(day=1)
    while period < stop:
        months.append(period)
        period = next_month(period)
    return months


@dataclass(frozen=True)
class Rates:
    """The contribution rates in force (percent of the wage), from
    contributions.StatutoryRate: JHT on the whole wage, JP on the capped one."""

    jht_employer: Decimal
    jht_employee: Decimal
    jp_employer: Decimal
    jp_employee: Decimal

    @property
    def jht_percent(self) -> Decimal:
        return self.jht_employer + self.jht_employee

    def jht(self, wage: int) -> int:
        return percent_of(wage, self.jht_employer) + percent_of(wage, self.jht_employee)

    def jp(self, jp_wage: int) -> int:
        return percent_of(jp_wage, self.jp_employer) + percent_of(
            jp_wage, self.jp_employee
        )


@dataclass(frozen=True)
class Career:
    """Work from the month after the latest one an employer reported, at that
    month's wage, rising by `growth_percent` each January after it; only while
    an employment is open: a member with none contributes nothing more."""

    last_period: date | None  # the latest month an employer reported
    wage: int  # that month's wage, all employers together
    growth_percent: Decimal
    contributing: bool
    this_year: int

    def wage_in(self, year: int) -> int:
        base = self.last_period.year if self.last_period else self.this_year
        if year <= base:
            return self.wage
        return round_rupiah(compound(self.wage, self.growth_percent, year - base))

    def months_before(self, end: date) -> list[date]:
        """The months still to be contributed before the month of `end`.

        Months before this year that no employer reported stay out: they are
        arrears to chase (the contributions page lists them), not a forecast.
        """
        if not self.contributing or self.last_period is None:
            return []
        first = max(next_month(self.last_period), date(self.this_year, 1, 1))
        return months_between(first, end)
