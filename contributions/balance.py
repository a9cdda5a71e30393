"""The JHT balance: paid contributions, less paid partial claims, plus yearly
development returns.

Returns are credited per calendar year at that year's DevelopmentRate, on what
each amount was in the balance for, in whole months (year_return below). Each
year's return is rounded half up to the rupiah. A year without a published rate
earns nothing yet and says so.

A partial JHT claim (10 % or 30 %, PP 46/2015 art. 22) leaves the balance on the
day it is paid. Paid full JHT claims are not taken off: what they pay includes
the in-year return up to the payment, worked out by BPJS's non-public method.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Sum

from claims.models import Claim
from contributions.models import Contribution, DevelopmentRate

# The claims whose payment leaves the JHT balance.
WITHDRAWAL_REASONS = (Claim.Reason.PARTIAL_RETIREMENT, Claim.Reason.PARTIAL_HOUSING)


@dataclass(frozen=True)
class Withdrawal:
    paid_on: date
    amount: int
    claim_number: str


@dataclass(frozen=True)
class BalanceYear:
    year: int
    opening: int
    contributions: int
    percent: Decimal | None
    rate_is_demo: bool
    returns: int
    closing: int
    withdrawals: int = 0


@dataclass(frozen=True)
class JhtBalance:
    years: list[BalanceYear]
    as_of: date | None  # the last period with a paid contribution
    withdrawals: tuple[Withdrawal, ...] = ()

    @property
    def amount(self) -> int:
        return self.years[-1].closing if self.years else 0

    @property
    def total_contributions(self) -> int:
        return sum(year.contributions for year in self.years)

    @property
    def total_returns(self) -> int:
        return sum(year.returns for year in self.years)

    def withdrawals_in(self, year: int) -> list[Withdrawal]:
        return [w for w in self.withdrawals if w.paid_on.year == year]


def year_return(
    opening: int,
    contributions: list[tuple[int, int]],
    withdrawals: list[tuple[date, int]],
    percent: Decimal,
) -> int:
    """One year's development return: the in-year method, in one place.

    BPJS sets the real method by a directors' regulation that is not public;
    this is ours, counted in whole months:
    - the opening balance earns for the whole year (12/12);
    - a month's contribution is in the balance from the end of its month: a
      January one earns 11/12 of the year's rate, a December one nothing;
    - a withdrawal leaves from the start of the month it is paid in, so it
      earns for the months before: paid in March, it earned 2/12 this year,
      and the 10/12 it would have earned are taken off.
    """
    earning = (
        Decimal(opening)
        + sum(Decimal(amount) * (12 - month) / 12 for month, amount in contributions)
        - sum(Decimal(amount) * (13 - paid.month) / 12 for paid, amount in withdrawals)
    )
    return int((earning * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute_balance(
    monthly: dict[date, int],
    rates: dict[int, tuple[Decimal, bool]],
    *,
    until_year: int,
    withdrawals: tuple[Withdrawal, ...] = (),
) -> JhtBalance:
    """The balance from paid JHT per period, (percent, is_demo) per year and the
    paid withdrawals."""
    if not monthly:
        return JhtBalance(years=[], as_of=None)
    by_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for period, amount in monthly.items():
        by_year[period.year].append((period.month, amount))
    out_by_year: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for withdrawal in withdrawals:
        out_by_year[withdrawal.paid_on.year].append(
            (withdrawal.paid_on, withdrawal.amount)
        )
    years = []
    balance = 0
    for year in range(min(by_year), until_year + 1):
        months = by_year.get(year, [])
        taken = out_by_year.get(year, [])
        contributed = sum(amount for _month, amount in months)
        withdrawn = sum(amount for _paid, amount in taken)
        percent, is_demo = rates.get(year, (None, False))
        returns = 0
        if percent is not None:
            returns = year_return(balance, months, taken, percent)
        closing = balance + contributed - withdrawn + returns
        years.append(
            BalanceYear(
                year,
                balance,
                contributed,
                percent,
                is_demo,
                returns,
                closing,
                withdrawn,
            )
        )
        balance = closing
    shown = tuple(w for w in withdrawals if w.paid_on.year <= until_year)
    return JhtBalance(years=years, as_of=max(monthly), withdrawals=shown)


def jht_balance_for_member(*, member, until_year: int) -> JhtBalance:
    """The member's JHT balance in three queries, however long the history."""
    return compute_balance(
        _paid_jht(member),
        _rates(until_year),
        until_year=until_year,
        withdrawals=_withdrawals(member),
    )


def jht_balance_on(*, member, day: date) -> int:
    """The balance on `day`, as a claim made that day is measured against.

    Every year before `day`'s with its return credited, and that year's
    contributions paid by `day` less the withdrawals paid before it, without a
    return: the year's return is credited when the year ends. (A claim paid on
    the day it was made is not taken off its own measure.)
    """
    withdrawals = tuple(w for w in _withdrawals(member) if w.paid_on < day)
    return compute_balance(
        _paid_jht(member, paid_by=day),
        _rates(day.year - 1),
        until_year=day.year,
        withdrawals=withdrawals,
    ).amount


def _paid_jht(member, *, paid_by: date | None = None) -> dict[date, int]:
    rows = Contribution.objects.filter(member=member, paid_date__isnull=False)
    if paid_by is not None:
        rows = rows.filter(paid_date__lte=paid_by)
    return dict(
        rows.values("period")
        .annotate(jht=Sum(F("jht_employer") + F("jht_employee")))
        .values_list("period", "jht")
        .order_by()
    )


def _rates(until_year: int) -> dict[int, tuple[Decimal, bool]]:
    return {
        rate.year: (rate.percent, rate.is_demo)
        for rate in DevelopmentRate.objects.filter(year__lte=until_year)
    }


def _withdrawals(member) -> tuple[Withdrawal, ...]:
    claims = Claim.objects.filter(
        member=member,
        programme="JHT",
        reason__in=WITHDRAWAL_REASONS,
        status=Claim.Status.PAID,
    ).order_by("paid_on", "pk")
    return tuple(
        Withdrawal(
            paid_on=claim.paid_on,
            amount=claim.approved_amount,
            claim_number=claim.number,
        )
        for claim in claims.only("paid_on", "approved_amount", "created_at")
    )
