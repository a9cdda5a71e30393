"""The member's plan: JHT at an age, the JP pension, what the family would
receive; and the claim amounts other pages show. Reads only: nothing here
changes data.

load_plan_basis() reads everything in a fixed number of queries; member_plan()
works the projections out of it for the member's choices, without queries.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from claims.ages import LAST_PENSION_AGE, pension_start
from contributions.balance import JhtBalance
from contributions.figures import member_balance
from contributions.models import DevelopmentRate, WageCap
from contributions.rates import JP_START
from ibsu.lib.dates import age_on
from plan import selectors
from plan.career import Career, Rates
from plan.chart import ProjectionChart, projection_chart
from plan.family import FamilyCover
from plan.jht import JhtProjection, project_jht
from plan.jp import (
    JpCaps,
    JpMonth,
    JpOutlook,
    Limit,
    jp_lump_sum,
    jp_outlook,
    limit_today,
)
from plan.models import BenefitFigure, ProjectionAssumptions
from plan.selectors import DefaultReturn, MonthRecord

Kind = BenefitFigure.Kind


@dataclass(frozen=True)
class Choices:
    """What the member may change on the page (or its defaults)."""

    return_percent: Decimal
    wage_growth_percent: Decimal
    age: int | None  # None: no age left to project to (65 or older)


@dataclass(frozen=True)
class PlanBasis:
    """Everything the projections read, for one member on one day."""

    born: date
    today: date
    balance: JhtBalance
    months: list[MonthRecord]
    rates: Rates
    caps: list[WageCap]
    returns: list[DevelopmentRate]  # every known yearly JHT return, latest first
    default_return: DefaultReturn | None
    assumptions: ProjectionAssumptions | None
    figures: dict[str, BenefitFigure]
    contributing: bool
    children: int

    @property
    def age(self) -> int:
        return age_on(self.born, self.today)

    @property
    def ages(self) -> range:
        """The ages the member may pick: from next birthday's to 65."""
        return range(self.age + 1, LAST_PENSION_AGE + 1)

    @property
    def defaults(self) -> Choices:
        pension_age, pension_day = pension_start(self.born)
        if pension_day > self.today:
            age = pension_age
        else:
            age = self.ages[0] if self.ages else None
        return Choices(
            return_percent=self.default_return.percent
            if self.default_return
            else Decimal(0),
            wage_growth_percent=self.assumptions.wage_growth_percent
            if self.assumptions
            else Decimal(0),
            age=age,
        )


def load_plan_basis(*, member, today: date) -> PlanBasis:
    returns = selectors.development_rates()
    months = selectors.months_of_member(member=member)
    return PlanBasis(
        born=member.date_of_birth,
        today=today,
        balance=member_balance(member=member, today=today),
        months=months,
        rates=selectors.contribution_rates(today=today),
        caps=selectors.wage_caps(),
        returns=returns,
        default_return=selectors.default_return(returns),
        assumptions=selectors.assumptions_in_force(today=today),
        figures=selectors.figures_in_force(today=today),
        contributing=bool(months)
        and selectors.has_open_employment(member=member, today=today),
        children=selectors.children_registered(member=member),
    )


@dataclass(frozen=True)
class MemberPlan:
    basis: PlanBasis
    choices: Choices
    percents: tuple[Decimal, Decimal, Decimal]  # low, expected, high return
    career: Career
    jht: JhtProjection | None  # None: no age left, or nothing to project
    chart: ProjectionChart | None
    jp: JpOutlook
    minimum: Limit | None
    maximum: Limit | None
    family: FamilyCover

    @property
    def as_of(self) -> date | None:
        """The last month with a paid contribution: the figures' date."""
        return self.basis.balance.as_of

    @property
    def figures_shown(self) -> list[BenefitFigure]:
        """The benefit figures this page uses (not the claim percentages)."""
        claims_only = {
            Kind.JHT_PARTIAL_RETIREMENT_PERCENT,
            Kind.JHT_PARTIAL_HOUSING_PERCENT,
        }
        return [
            figure
            for kind, figure in sorted(self.basis.figures.items())
            if kind not in claims_only
        ]

    @property
    def unpublished_years(self) -> list[int]:
        """Past years whose return is not published: they earn nothing yet."""
        return [
            year.year
            for year in self.basis.balance.years
            if year.percent is None and year.year < self.basis.today.year
        ]


def member_plan(*, basis: PlanBasis, choices: Choices) -> MemberPlan:
    """The projections for these choices. Needs basis.assumptions."""
    assumptions = basis.assumptions
    today, born = basis.today, basis.born
    spread = assumptions.return_spread_percent
    expected = choices.return_percent
    percents = (max(Decimal(0), expected - spread), expected, expected + spread)
    latest = basis.months[-1] if basis.months else None
    career = Career(
        last_period=latest.period if latest else None,
        wage=latest.wage if latest else 0,
        growth_percent=choices.wage_growth_percent,
        contributing=basis.contributing,
        this_year=today.year,
    )
    jht = None
    if choices.age is not None and (basis.balance.amount or career.contributing):
        jht = project_jht(
            balance=basis.balance,
            paid_this_year={
                month.period: month.jht
                for month in basis.months
                if month.period.year == today.year and month.jht
            },
            career=career,
            rates=basis.rates,
            born=born,
            age=choices.age,
            percents=percents,
            inflation=assumptions.inflation_percent,
        )
    minimum, maximum = (
        _limit(basis, kind) for kind in (Kind.JP_MINIMUM, Kind.JP_MAXIMUM)
    )
    caps = JpCaps(
        [(cap.effective_from, cap.amount) for cap in basis.caps],
        growth=assumptions.jp_cap_growth_percent,
    )
    jp = jp_outlook(
        paid=_jp_months(basis.months, caps),
        career=career,
        rates=basis.rates,
        caps=caps,
        born=born,
        today=today,
        inflation=assumptions.inflation_percent,
        minimum=minimum,
        maximum=maximum,
        published_returns=_published_returns(basis.returns),
        expected_return=expected,
    )
    return MemberPlan(
        basis=basis,
        choices=choices,
        percents=percents,
        career=career,
        jht=jht,
        chart=projection_chart(jht) if jht else None,
        jp=jp,
        minimum=minimum,
        maximum=maximum,
        family=FamilyCover(
            figures=basis.figures,
            wage=latest.wage if latest else None,
            contribution_months=sum(1 for month in basis.months if month.paid),
            children=basis.children,
            jht_balance=basis.balance.amount,
        ),
    )


def _jp_months(months: list[MonthRecord], caps: JpCaps) -> list[JpMonth]:
    """The JP contribution months (masa iur): a paid JP amount, from July 2015."""
    return [
        JpMonth(month.period, caps.jp_wage(month.paid_wage, month.period), month.jp)
        for month in months
        if _is_jp_month(month)
    ]


def _is_jp_month(month: MonthRecord) -> bool:
    return month.period >= JP_START and month.jp > 0


def _published_returns(returns) -> dict[int, Decimal]:
    return {rate.year: rate.percent for rate in returns}


def _limit(basis: PlanBasis, kind: str) -> Limit | None:
    figure = basis.figures.get(kind)
    if figure is None:
        return None
    return limit_today(
        figure.amount,
        year=figure.effective_from.year,
        confirmed=figure.confirmed,
        this_year=basis.today.year,
        inflation=basis.assumptions.inflation_percent,
    )


@dataclass(frozen=True)
class ClaimAmounts:
    """What each claim would pay today, for the claims page and documents."""

    jht_balance: int
    partial_retirement: int | None  # the most a partial claim for retirement pays
    partial_housing: int | None  # the most a partial claim for housing pays
    jp_lump_sum: int  # JP contributions and their published returns


def partial_claim_amount(balance: int, percent: int) -> int:
    """`percent` % of the balance, rounded down: a partial claim pays *up to* it."""
    return int((Decimal(balance) * percent / 100).to_integral_value(ROUND_FLOOR))


def claim_amounts_for_member(*, member, today: date) -> ClaimAmounts:
    """Today's claim amounts, in four queries (two when the balance is cached)."""
    balance = member_balance(member=member, today=today).amount
    figures = selectors.figures_in_force(today=today)

    def partial(kind: str) -> int | None:
        figure = figures.get(kind)
        return partial_claim_amount(balance, figure.amount) if figure else None

    # The lump sum needs the amounts only, not the capped wages.
    months = [
        JpMonth(month.period, month.paid_wage, month.jp)
        for month in selectors.months_of_member(member=member)
        if _is_jp_month(month)
    ]
    return ClaimAmounts(
        jht_balance=balance,
        partial_retirement=partial(Kind.JHT_PARTIAL_RETIREMENT_PERCENT),
        partial_housing=partial(Kind.JHT_PARTIAL_HOUSING_PERCENT),
        jp_lump_sum=jp_lump_sum(
            months,
            returns=_published_returns(selectors.development_rates()),
            until_year=today.year,
        ),
    )
