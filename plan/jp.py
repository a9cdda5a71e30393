"""The pension (JP) a member is on course for, by PP 45/2015.

- Contribution months (masa iur): months with a paid JP amount, from July 2015.
- With at least 180 of them when the pension starts, a monthly pension of
  1 % x months / 12 x the average monthly JP wage, each month's wage indexed by
  general inflation (art. 17). The months cancel out, so it is the sum of the
  indexed wages / 1,200. It stays within the year's minimum and maximum
  (art. 18). Shown in today's prices: wages indexed to this year, the latest
  limits moved to this year's prices by the same inflation.
- With fewer, a lump sum: the JP contributions and their returns.
- Still working at pension age, the member may start it up to 3 years later
  (art. 15(4)), with the months worked meanwhile.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claims.ages import birthday, pension_start
from claims.eligibility import JP_MONTHLY_PENSION_MONTHS
from contributions.balance import compute_balance
from contributions.rates import cap_year
from ibsu.lib.dates import age_on
from plan.career import Career, Rates, compound, in_todays_money, round_rupiah

MONTHLY_PENSION_MONTHS = JP_MONTHLY_PENSION_MONTHS
DEFERRAL_YEARS = 3  # PP 45/2015 art. 15(4)
# 1 % x (months / 12) x (sum / months) = sum / 1,200 (art. 17(2)).
FORMULA_DIVISOR = 1200


@dataclass(frozen=True)
class JpMonth:
    period: date
    wage: int  # the JP wage: the reported wage, up to the month's cap
    amount: int  # JP paid or to be paid, both shares


class JpCaps:
    """The JP wage cap for a month: the table's (contributions.WageCap), or for
    a year not in it the latest cap before, grown by `growth` % a year."""

    def __init__(self, caps: list[tuple[date, int]], *, growth: Decimal):
        self._by_year = {start.year: amount for start, amount in caps}
        self._growth = growth

    def for_period(self, period: date) -> int | None:
        year = cap_year(period)
        if year in self._by_year:
            return self._by_year[year]
        known = [known_year for known_year in self._by_year if known_year < year]
        if not known:
            return None
        latest = max(known)
        return round_rupiah(
            compound(self._by_year[latest], self._growth, year - latest)
        )

    def jp_wage(self, wage: int, period: date) -> int:
        cap = self.for_period(period)
        return wage if cap is None else min(wage, cap)


@dataclass(frozen=True)
class Limit:
    """A minimum or maximum monthly pension: the latest published figure and
    the same moved to this year's prices."""

    published: int
    year: int
    confirmed: bool
    today: int


def limit_today(
    published: int, *, year: int, confirmed: bool, this_year: int, inflation: Decimal
) -> Limit:
    today = round_rupiah(compound(published, inflation, this_year - year))
    return Limit(published, year, confirmed, today)


@dataclass(frozen=True)
class PensionOption:
    """The pension if it starts on `starts`."""

    starts: date
    age: int
    months: int
    # A monthly pension, in today's prices (None: a lump sum instead):
    average_wage: int | None = None  # the average indexed JP wage
    by_formula: int | None = None  # before the limits
    monthly: int | None = None  # within the limits
    # A lump sum (None: a monthly pension instead):
    lump_sum: int | None = None  # at the end of the year it starts
    lump_sum_today: int | None = None  # the same in today's prices


@dataclass(frozen=True)
class JpOutlook:
    pension_age: int
    pension_day: date
    reached: bool
    months_so_far: int
    threshold: date | None  # the month of the 180th JP month, paid or to come
    options: list[PensionOption]  # at pension age (or now), then each year later

    months_needed = MONTHLY_PENSION_MONTHS
    deferral_years = DEFERRAL_YEARS

    @property
    def first(self) -> PensionOption:
        return self.options[0]

    @property
    def later(self) -> list[tuple[PensionOption, int | None]]:
        """Each later start, with what it adds to the first monthly pension."""
        first = self.first.monthly
        return [
            (
                option,
                None
                if option.monthly is None or first is None
                else option.monthly - first,
            )
            for option in self.options[1:]
        ]


def indexed_wages(
    months: list[JpMonth], *, inflation: Decimal, this_year: int
) -> Decimal:
    """The sum of the JP wages, each indexed to this year's prices (art. 17(3))."""
    return sum(
        (
            compound(month.wage, inflation, this_year - month.period.year)
            for month in months
        ),
        Decimal(0),
    )


def jp_lump_sum(
    months: list[JpMonth], *, returns: dict[int, Decimal], until_year: int
) -> int:
    """JP contributions plus returns credited by the JHT in-year rule, at the
    yearly `returns` (a year without one earns nothing)."""
    if not months:
        return 0
    rates = {year: (percent, False) for year, percent in returns.items()}
    monthly = {month.period: month.amount for month in months}
    return compute_balance(monthly, rates, until_year=until_year).amount


def jp_outlook(
    *,
    paid: list[JpMonth],
    career: Career,
    rates: Rates,
    caps: JpCaps,
    born: date,
    today: date,
    inflation: Decimal,
    minimum: Limit | None,
    maximum: Limit | None,
    published_returns: dict[int, Decimal],
    expected_return: Decimal,
) -> JpOutlook:
    """A lump sum earns the published yearly returns, and `expected_return` in
    the years from this one that have none yet."""
    age, day = pension_start(born)
    reached = day <= today
    last_start = birthday(born, age + DEFERRAL_YEARS) if career.contributing else day
    future = [
        JpMonth(period, jp_wage, rates.jp(jp_wage))
        for period in career.months_before(last_start)
        for jp_wage in [caps.jp_wage(career.wage_in(period.year), period)]
    ]
    months = sorted(paid, key=lambda month: month.period) + future
    threshold = (
        months[MONTHLY_PENSION_MONTHS - 1].period
        if len(months) >= MONTHLY_PENSION_MONTHS
        else None
    )
    starts = [
        (age + wait, birthday(born, age + wait)) for wait in range(DEFERRAL_YEARS + 1)
    ]
    if not career.contributing:
        starts = starts[:1]
    if reached:
        starts = [(age_on(born, today), today)] + [
            (a, s) for a, s in starts if s > today
        ]

    def option(start_age: int, starts_on: date) -> PensionOption:
        counted = [m for m in months if m.period < starts_on.replace(day=1)]
        if len(counted) >= MONTHLY_PENSION_MONTHS:
            return _monthly_pension(
                counted, starts_on, start_age, today, inflation, (minimum, maximum)
            )
        returns = {
            **dict.fromkeys(range(today.year, starts_on.year + 1), expected_return),
            **published_returns,
        }
        lump = jp_lump_sum(counted, returns=returns, until_year=starts_on.year)
        return PensionOption(
            starts=starts_on,
            age=start_age,
            months=len(counted),
            lump_sum=lump,
            lump_sum_today=in_todays_money(
                lump, inflation=inflation, years_ahead=starts_on.year - today.year
            ),
        )

    return JpOutlook(
        pension_age=age,
        pension_day=day,
        reached=reached,
        months_so_far=len(paid),
        threshold=threshold,
        options=[option(start_age, starts_on) for start_age, starts_on in starts],
    )


def _monthly_pension(
    months: list[JpMonth],
    starts_on: date,
    start_age: int,
    today: date,
    inflation: Decimal,
    limits: tuple[Limit | None, Limit | None],
) -> PensionOption:
    total = indexed_wages(months, inflation=inflation, this_year=today.year)
    formula = round_rupiah(total / FORMULA_DIVISOR)
    minimum, maximum = limits
    monthly = formula
    if minimum is not None:
        monthly = max(monthly, minimum.today)
    if maximum is not None:
        monthly = min(monthly, maximum.today)
    return PensionOption(
        starts=starts_on,
        age=start_age,
        months=len(months),
        average_wage=round_rupiah(total / len(months)),
        by_formula=formula,
        monthly=monthly,
    )
