"""The reads behind the plan page: one query each, all scoped to the member
or to reference tables."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from accounts.models import Heir
from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employment,
    StatutoryRate,
    WageCap,
)
from contributions.rates import RateBook
from plan.career import Rates
from plan.models import BenefitFigure, ProjectionAssumptions

# The default return is the average of this many latest known yearly returns.
DEFAULT_RETURN_YEARS = 5


@dataclass(frozen=True)
class MonthRecord:
    """One month of the member's history, all employers together."""

    period: date
    wage: int  # reported, paid or not
    paid_wage: int  # of the months paid
    jht: int  # paid
    jp: int  # paid
    paid: bool  # any contribution paid for the month


def months_of_member(*, member) -> list[MonthRecord]:
    paid = Q(paid_date__isnull=False)
    rows = (
        Contribution.objects.filter(member=member)
        .values("period")
        .annotate(
            all_wages=Sum("wage"),
            paid_wages=Sum("wage", filter=paid, default=0),
            paid_jht=Sum(F("jht_employer") + F("jht_employee"), filter=paid, default=0),
            paid_jp=Sum(F("jp_employer") + F("jp_employee"), filter=paid, default=0),
            paid_rows=Count("id", filter=paid),
        )
        .order_by("period")
    )
    return [
        MonthRecord(
            period=row["period"],
            wage=row["all_wages"],
            paid_wage=row["paid_wages"],
            jht=row["paid_jht"],
            jp=row["paid_jp"],
            paid=row["paid_rows"] > 0,
        )
        for row in rows
    ]


def has_open_employment(*, member, today: date) -> bool:
    return (
        Employment.objects.filter(member=member)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .exists()
    )


def children_registered(*, member) -> int:
    return Heir.objects.filter(
        member=member, relationship=Heir.Relationship.CHILD
    ).count()


def figures_in_force(*, today: date) -> dict[str, BenefitFigure]:
    """The latest row of each kind in force today."""
    in_force = {}
    for figure in BenefitFigure.objects.filter(effective_from__lte=today).order_by(
        "kind", "-effective_from"
    ):
        in_force.setdefault(figure.kind, figure)
    return in_force


def assumptions_in_force(*, today: date) -> ProjectionAssumptions | None:
    return (
        ProjectionAssumptions.objects.filter(effective_from__lte=today)
        .order_by("-effective_from")
        .first()
    )


def development_rates() -> list[DevelopmentRate]:
    """Every published yearly JHT return (and demo ones), latest first."""
    return list(DevelopmentRate.objects.order_by("-year"))


def contribution_rates(*, today: date) -> Rates:
    """The JHT and JP rates in force this month."""
    book = RateBook(StatutoryRate.objects.filter(programme__in=["JHT", "JP"]), caps=())
    month = today.replace(day=1)
    return Rates(
        jht_employer=book.rate("JHT", "employer", month),
        jht_employee=book.rate("JHT", "employee", month),
        jp_employer=book.rate("JP", "employer", month),
        jp_employee=book.rate("JP", "employee", month),
    )


def wage_caps() -> list[WageCap]:
    return list(WageCap.objects.order_by("effective_from"))


@dataclass(frozen=True)
class DefaultReturn:
    """The average of the latest known yearly returns, and which years they are."""

    percent: Decimal
    rates: list[DevelopmentRate]  # latest first

    @property
    def first_year(self) -> int:
        return self.rates[-1].year

    @property
    def last_year(self) -> int:
        return self.rates[0].year

    @property
    def years(self) -> list[int]:
        return sorted(rate.year for rate in self.rates)

    @property
    def demo_years(self) -> list[int]:
        return sorted(rate.year for rate in self.rates if rate.is_demo)


def default_return(rates: list[DevelopmentRate]) -> DefaultReturn | None:
    """Rounded half up to hundredths of a percent; None with no known return."""
    latest = sorted(rates, key=lambda rate: rate.year, reverse=True)
    latest = latest[:DEFAULT_RETURN_YEARS]
    if not latest:
        return None
    average = sum(rate.percent for rate in latest) / len(latest)
    percent = average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return DefaultReturn(percent, latest)
