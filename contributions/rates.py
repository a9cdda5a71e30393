"""The statutory arithmetic: what each programme should charge for a month's wage.

Figures come from the StatutoryRate, WageCap, ReliefPeriod and JkpFunding
tables, loaded once into a RateBook, so computing a whole history costs a fixed
number of queries whatever its length. A rate or cap applies to a period when
it is in force on the period's last day (so the JKP change of 7 February 2025
applies from the February 2025 period).

JKP is not among the amounts: the employer pays nothing for it (PP 37/2021
art. 11; PP 6/2025). What finances the member's JKP cover is `jkp_cover`.
"""

import bisect
import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contributions.models import (
    Contribution,
    JkpFunding,
    ReliefPeriod,
    StatutoryRate,
    WageCap,
)

# JP caps change every March (PP 45/2015 art. 29); the first cap began here.
JP_START = date(2015, 7, 1)
JP_CAP_MONTH = 3


def period_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def percent_of(amount: int, percent: Decimal) -> int:
    """`percent` % of an integer rupiah amount, rounded half up to the rupiah."""
    return int(
        (Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


def cap_year(period: date) -> int:
    """The year whose March cap covers this period (January is last year's)."""
    return period.year if period.month >= JP_CAP_MONTH else period.year - 1


@dataclass
class _Timeline:
    """Values that take effect on dates; the latest one in force wins."""

    starts: list[date] = field(default_factory=list)
    values: list = field(default_factory=list)

    def add(self, start: date, value) -> None:
        index = bisect.bisect(self.starts, start)
        self.starts.insert(index, start)
        self.values.insert(index, value)

    def at(self, day: date, default=None):
        index = bisect.bisect(self.starts, day)
        return self.values[index - 1] if index else default


@dataclass(frozen=True)
class Expected:
    """The statutory amounts for one month's wage, per amount field.

    The JP amounts and jp_base are None when the JP cap of the period's year is
    not in the table yet: they are then unknown, never guessed.
    """

    jht_employer: int
    jht_employee: int
    jp_employer: int | None
    jp_employee: int | None
    jkk: int
    jkm: int
    jp_base: int | None  # the wage JP is computed on: capped
    # What a relief period lets the employer pay instead, per amount field.
    relieved: dict[str, int] = field(default_factory=dict)
    # The JP (both shares) due at the month's due date when part was deferred.
    jp_due_now: int | None = None
    jp_deferred_until: date | None = None

    def amounts(self) -> dict[str, int | None]:
        """The amount fields of a Contribution, as the full rates give them."""
        return {field: getattr(self, field) for field in Contribution.AMOUNT_FIELDS}


@dataclass(frozen=True)
class JkpCover:
    """A month's JKP contribution and where it comes from (information only)."""

    period: date
    base: int  # the wage, capped
    amount: int
    government: int
    from_jkk: int
    from_jkm: int
    funding: JkpFunding


class RateBook:
    def __init__(self, rates, caps, reliefs=(), jkp_funding=()):
        self._rates: dict[tuple, _Timeline] = {}
        for rate in rates:
            key = (rate.programme, rate.payer, rate.risk_class)
            self._rates.setdefault(key, _Timeline()).add(
                rate.effective_from, rate.percent
            )
        self._memo: dict[tuple, Decimal] = {}
        self._caps = _Timeline()
        for cap in caps:
            self._caps.add(cap.effective_from, cap)
        self.reliefs = sorted(reliefs, key=lambda relief: relief.first_period)
        self._jkp = _Timeline()
        for funding in jkp_funding:
            self._jkp.add(funding.effective_from, funding)

    @classmethod
    def load(cls) -> "RateBook":
        return cls(
            StatutoryRate.objects.all(),
            WageCap.objects.all(),
            ReliefPeriod.objects.all(),
            JkpFunding.objects.all(),
        )

    def rate(
        self, programme: str, payer: str, period: date, risk_class=None
    ) -> Decimal:
        key = (programme, payer, risk_class, period)
        if key not in self._memo:  # a long history asks for the same months often
            timeline = self._rates.get((programme, payer, risk_class))
            in_force = timeline.at(period_end(period), Decimal(0)) if timeline else None
            self._memo[key] = in_force or Decimal(0)
        return self._memo[key]

    def jp_cap_row(self, period: date) -> WageCap | None:
        """The cap row that covers this period, or None when its year's cap is
        not in the table (or JP had not begun): an older cap is never reused."""
        row = self._caps.at(period_end(period))
        return row if row and row.effective_from.year == cap_year(period) else None

    def jp_cap(self, period: date) -> int | None:
        row = self.jp_cap_row(period)
        return row.amount if row else None

    def reliefs_for(self, period: date, industry: str) -> list[ReliefPeriod]:
        return [r for r in self.reliefs if r.applies_to(period, industry)]

    def expected(
        self, *, wage: int, period: date, risk_class: int, industry: str = "other"
    ) -> Expected:
        jp_employer = jp_employee = jp_base = None
        if period < JP_START:
            jp_employer = jp_employee = 0
        elif (cap := self.jp_cap(period)) is not None:
            jp_base = min(wage, cap)
            jp_employer = percent_of(jp_base, self.rate("JP", "employer", period))
            jp_employee = percent_of(jp_base, self.rate("JP", "employee", period))
        jkk_rate = self.rate("JKK", "employer", period, risk_class)
        jkm_rate = self.rate("JKM", "employer", period)
        relieved, jp_due_now, deferred_until = {}, None, None
        for relief in self.reliefs_for(period, industry):
            if relief.jkk_cut_percent:
                relieved["jkk"] = percent_of(
                    wage, _cut(jkk_rate, relief.jkk_cut_percent)
                )
            if relief.jkm_cut_percent:
                relieved["jkm"] = percent_of(
                    wage, _cut(jkm_rate, relief.jkm_cut_percent)
                )
            if relief.jp_deferred_percent and jp_employer is not None:
                jp_due_now = percent_of(
                    jp_employer + jp_employee, 100 - relief.jp_deferred_percent
                )
                deferred_until = relief.jp_deferred_until
        return Expected(
            jht_employer=percent_of(wage, self.rate("JHT", "employer", period)),
            jht_employee=percent_of(wage, self.rate("JHT", "employee", period)),
            jp_employer=jp_employer,
            jp_employee=jp_employee,
            jkk=percent_of(wage, jkk_rate),
            jkm=percent_of(wage, jkm_rate),
            jp_base=jp_base if period >= JP_START else 0,
            relieved=relieved,
            jp_due_now=jp_due_now,
            jp_deferred_until=deferred_until,
        )

    def jkp_cover(self, *, wage: int, period: date) -> JkpCover | None:
        """The JKP contribution for a month's wage and its financing, or None
        before JKP began (February 2021)."""
        funding = self._jkp.at(period_end(period))
        if funding is None:
            return None
        base = min(wage, funding.wage_cap)
        government = percent_of(base, funding.government_percent)
        from_jkk = percent_of(base, funding.from_jkk_percent)
        from_jkm = percent_of(base, funding.from_jkm_percent)
        return JkpCover(
            period=period,
            base=base,
            amount=government + from_jkk + from_jkm,
            government=government,
            from_jkk=from_jkk,
            from_jkm=from_jkm,
            funding=funding,
        )


def _cut(rate: Decimal, cut_percent: Decimal) -> Decimal:
    return rate * (100 - cut_percent) / 100
