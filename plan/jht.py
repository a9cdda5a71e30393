"""Old-age savings (JHT) projected to the end of the year the member turns an age.

The projection starts from today's balance as contributions.balance works it
out, adds the contributions still to come (plan.career) and credits a yearly
return by the same in-year rule: compute_balance is the one place that rule
lives. The return of the current year counts as soon as it is published.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contributions.balance import BalanceYear, JhtBalance, compute_balance
from plan.career import Career, Rates, in_todays_money


@dataclass(frozen=True)
class JhtPath:
    """The balance year by year at one return rate."""

    percent: Decimal
    years: list[BalanceYear]

    @property
    def amount(self) -> int:
        return self.years[-1].closing


@dataclass(frozen=True)
class JhtYear:
    """One row of the year-by-year table."""

    year: int
    age: int
    wage: int | None  # a month's wage that year; None with no employer now
    expected: BalanceYear
    low: int
    high: int


@dataclass(frozen=True)
class JhtProjection:
    age: int
    year: int
    today: int  # today's balance
    low: JhtPath
    expected: JhtPath
    high: JhtPath
    in_todays_money: int  # the expected amount, in today's prices
    monthly_contribution: int  # at today's wage: what the next month adds
    contributing: bool
    rows: list[JhtYear]


def grow_balance(
    *,
    opening: int,
    first_year: int,
    monthly: dict[date, int],
    percents: dict[int, Decimal],
    until_year: int,
) -> list[BalanceYear]:
    """Years `first_year`..`until_year` of a balance that is `opening` on 1
    January of `first_year`, with contributions per month and a return rate
    per year.

    The opening balance enters compute_balance as an amount paid in December of
    the year before, with no return for that year: a December contribution earns
    nothing in its own year, so the next year opens with exactly `opening`.
    """
    seed = {date(first_year - 1, 12, 1): opening}
    rates = {year: (percent, False) for year, percent in percents.items()}
    years = compute_balance({**seed, **monthly}, rates, until_year=until_year).years
    return years[1:]


def project_jht(
    *,
    balance: JhtBalance,
    paid_this_year: dict[date, int],
    career: Career,
    rates: Rates,
    born: date,
    age: int,
    percents: tuple[Decimal, Decimal, Decimal],
    inflation: Decimal,
) -> JhtProjection:
    """The balance at the end of the year the member turns `age`, at a low,
    an expected and a high return (`percents`), contributions going on until
    the month before that birthday.

    `paid_this_year`: JHT paid for each month of the current year so far, which
    today's balance holds without this year's return unless it is published.
    """
    this_year = career.this_year
    until_year = born.year + age
    current = balance.years[-1] if balance.years else None
    if current is not None and current.year == this_year:
        # What the year opened with, after anything else the balance counts.
        opening = current.closing - current.contributions - current.returns
        published = current.percent
    else:
        opening, published, paid_this_year = balance.amount, None, {}
    end = date(until_year, born.month, 1)
    future = {
        period: rates.jht(career.wage_in(period.year))
        for period in career.months_before(end)
    }
    monthly = {**paid_this_year, **future}

    def path(percent: Decimal) -> JhtPath:
        percents_by_year = dict.fromkeys(range(this_year, until_year + 1), percent)
        if published is not None:
            percents_by_year[this_year] = published
        years = grow_balance(
            opening=opening,
            first_year=this_year,
            monthly=monthly,
            percents=percents_by_year,
            until_year=until_year,
        )
        return JhtPath(percent, years)

    low, expected, high = (path(percent) for percent in percents)
    rows = [
        JhtYear(
            year=row.year,
            age=row.year - born.year,
            wage=career.wage_in(row.year) if career.contributing else None,
            expected=row,
            low=low_row.closing,
            high=high_row.closing,
        )
        for row, low_row, high_row in zip(
            expected.years, low.years, high.years, strict=True
        )
    ]
    return JhtProjection(
        age=age,
        year=until_year,
        today=balance.amount,
        low=low,
        expected=expected,
        high=high,
        in_todays_money=in_todays_money(
            expected.amount, inflation=inflation, years_ahead=until_year - this_year
        ),
        monthly_contribution=rates.jht(career.wage_in(this_year)),
        contributing=career.contributing,
        rows=rows,
    )
