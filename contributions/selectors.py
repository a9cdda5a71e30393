"""What a member may see of contributions, always scoped to that member."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum

from contributions.checks import HistoryChecks, WageFloors, find_problems
from contributions.due_dates import PaymentCalendar
from contributions.models import (
    Contribution,
    Employer,
    Employment,
    JkpFunding,
    MinimumWage,
    Programme,
)
from contributions.rates import JkpCover, RateBook

ROW_FIELDS = (
    "id",
    "period",
    "employer_id",
    "employer__npp",
    "employer__name",
    "employer__risk_class",
    "employer__industry",
    "employer__province_code",
    "employer__regency_code",
    "wage",
    *Contribution.AMOUNT_FIELDS,
    "paid_date",
)


@dataclass(frozen=True)
class HistoryFilter:
    year_from: int | None = None
    year_to: int | None = None
    employer_id: int | None = None
    programme: str = ""

    @property
    def amount_fields(self) -> tuple[str, ...]:
        if self.programme:
            return Contribution.PROGRAMME_FIELDS[Programme(self.programme)]
        return Contribution.AMOUNT_FIELDS


def contributions_for_member(*, member, filters: HistoryFilter) -> QuerySet:
    rows = Contribution.objects.filter(member=member)
    if filters.year_from:
        rows = rows.filter(period__gte=date(filters.year_from, 1, 1))
    if filters.year_to:
        rows = rows.filter(period__lte=date(filters.year_to, 12, 1))
    if filters.employer_id:
        rows = rows.filter(employer_id=filters.employer_id)
    if filters.programme:
        paid_into = Q()
        for field in filters.amount_fields:
            paid_into |= Q(**{f"{field}__gt": 0})
        rows = rows.filter(paid_into)
    return rows


def contribution_years(rows: QuerySet) -> list[int]:
    """The years present in `rows`, newest first, in one query."""
    return [day.year for day in rows.dates("period", "year", order="DESC")]


def contribution_totals(rows: QuerySet, fields: tuple[str, ...]) -> dict[str, int]:
    sums = rows.aggregate(wage=Sum("wage"), **{field: Sum(field) for field in fields})
    totals = {name: value or 0 for name, value in sums.items()}
    totals["total"] = sum(totals[field] for field in fields)
    return totals


def employer_choices(*, member) -> list[tuple[int, str]]:
    """(id, name) of every employer in the member's history, by name."""
    # Two indexed sub-queries: an OR across two joins made PostgreSQL scan every
    # contribution in the table (2 s at 2 million rows, measured by make bench).
    return list(
        Employer.objects.filter(
            Q(pk__in=Contribution.objects.filter(member=member).values("employer_id"))
            | Q(pk__in=Employment.objects.filter(member=member).values("employer_id"))
        )
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def employments_of_member(*, member) -> list[tuple]:
    return list(
        Employment.objects.filter(member=member).values_list(
            "employer_id", "employer__name", "employer__industry", "start", "end"
        )
    )


def checks_for_member(*, member, today: date) -> HistoryChecks:
    """The checks over the member's whole history, whatever a filter shows."""
    rows = list(
        Contribution.objects.filter(member=member)
        .order_by("period")
        .values(*ROW_FIELDS)
    )
    return find_problems(
        rows=rows,
        employments=employments_of_member(member=member),
        rates=RateBook.load(),
        calendar=PaymentCalendar.load(),
        wage_floors=wage_floors_for(
            province_codes={row["employer__province_code"] for row in rows}
        ),
        today=today,
    )


def wage_floors_for(*, province_codes: set[str]) -> WageFloors:
    """The minimum wages (UMP and every UMK) of these provinces, in one query."""
    return WageFloors(
        MinimumWage.objects.filter(province_code__in=province_codes).values_list(
            "province_code", "regency_code", "region_name", "year", "amount"
        )
    )


def jkp_cover_for_member(*, member) -> JkpCover | None:
    """The job-loss cover (JKP) of the member's latest reported month, taken
    from its highest wage, or None before JKP began or without contributions."""
    latest = (
        Contribution.objects.filter(member=member)
        .order_by("-period", "-wage")
        .values_list("period", "wage")
        .first()
    )
    if latest is None:
        return None
    period, wage = latest
    funding = RateBook(rates=(), caps=(), jkp_funding=JkpFunding.objects.all())
    return funding.jkp_cover(wage=wage, period=period)
