"""The JHT balance: paid contributions plus yearly development returns.

Returns are credited per calendar year at that year's DevelopmentRate: on the
opening balance for the whole year, and on each month's contribution for the
months left in the year after it (a January contribution earns 11/12 of the
year's rate, a December one nothing until the next year). Each year's return
is rounded half up to the rupiah. A year without a published rate earns
nothing yet and says so.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Sum

from contributions.models import Contribution, DevelopmentRate


@dataclass(frozen=True)
class BalanceYear:
    year: int
    opening: int
    contributions: int
    percent: Decimal | None
    rate_is_demo: bool
    returns: int
    closing: int


@dataclass(frozen=True)
class JhtBalance:
    years: list[BalanceYear]
    as_of: date | None  # the last period with a paid contribution

    @property
    def amount(self) -> int:
        return self.years[-1].closing if self.years else 0

    @property
    def total_contributions(self) -> int:
        return sum(year.contributions for year in self.years)

    @property
    def total_returns(self) -> int:
        return sum(year.returns for year in self.years)


def compute_balance(
    monthly: dict[date, int], rates: dict[int, tuple[Decimal, bool]], *, until_year: int
) -> JhtBalance:
    """The balance from paid JHT per period and (percent, is_demo) per year."""
    if not monthly:
        return JhtBalance(years=[], as_of=None)
    by_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for period, amount in monthly.items():
        by_year[period.year].append((period.month, amount))
    years = []
    balance = 0
    for year in range(min(by_year), until_year + 1):
        months = by_year.get(year, [])
        contributed = sum(amount for _month, amount in months)
        percent, is_demo = rates.get(year, (None, False))
        returns = 0
        if percent is not None:
            earning = Decimal(balance) + sum(
                Decimal(amount) * (12 - month) / 12 for month, amount in months
            )
            returns = int(
                (earning * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            )
        closing = balance + contributed + returns
        years.append(
            BalanceYear(year, balance, contributed, percent, is_demo, returns, closing)
        )
        balance = closing
    return JhtBalance(years=years, as_of=max(monthly))


def jht_balance_for_member(*, member, until_year: int) -> JhtBalance:
    """The member's JHT balance in two queries, however long the history."""
    monthly = dict(
        Contribution.objects.filter(member=member, paid_date__isnull=False)
        .values("period")
        .annotate(jht=Sum(F("jht_employer") + F("jht_employee")))
        .values_list("period", "jht")
        .order_by()
    )
    rates = {
        rate.year: (rate.percent, rate.is_demo)
        for rate in DevelopmentRate.objects.filter(year__lte=until_year)
    }
    return compute_balance(monthly, rates, until_year=until_year)
