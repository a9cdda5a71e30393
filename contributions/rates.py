"""The statutory arithmetic: what each programme should charge for a month's wage.

Figures come from the StatutoryRate and WageCap tables, loaded once into a
RateBook, so computing a whole history costs two queries whatever its length.
A rate or cap applies to a period when it is in force on the period's last day
(so the JKP cut of 7 February 2025 applies from the February 2025 period).
"""

import bisect
import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contributions.models import Contribution, StatutoryRate, WageCap


def period_end(period: date) -> date:
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def percent_of(amount: int, percent: Decimal) -> int:
    """`percent` % of an integer rupiah amount, rounded half up to the rupiah."""
    return int(
        (Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )


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
    """The statutory amounts for one month's wage, per amount field."""

    jht_employer: int
    jht_employee: int
    jp_employer: int
    jp_employee: int
    jkk: int
    jkm: int
    jkp: int
    jp_base: int  # the wage JP is computed on: capped

    def amounts(self) -> dict[str, int]:
        """The amount fields of a Contribution, as the rates give them."""
        return {field: getattr(self, field) for field in Contribution.AMOUNT_FIELDS}


class RateBook:
    def __init__(self, rates, caps):
        self._rates: dict[tuple, _Timeline] = {}
        for rate in rates:
            key = (rate.programme, rate.payer, rate.risk_class)
            self._rates.setdefault(key, _Timeline()).add(
                rate.effective_from, rate.percent
            )
        self._memo: dict[tuple, Decimal] = {}
        self._caps = _Timeline()
        for cap in caps:
            self._caps.add(cap.effective_from, cap.amount)

    @classmethod
    def load(cls) -> "RateBook":
        return cls(StatutoryRate.objects.all(), WageCap.objects.all())

    def rate(
        self, programme: str, payer: str, period: date, risk_class=None
    ) -> Decimal:
        key = (programme, payer, risk_class, period)
        if key not in self._memo:  # a long history asks for the same months often
            timeline = self._rates.get((programme, payer, risk_class))
            in_force = timeline.at(period_end(period), Decimal(0)) if timeline else None
            self._memo[key] = in_force or Decimal(0)
        return self._memo[key]

    def jp_cap(self, period: date) -> int | None:
        return self._caps.at(period_end(period))

    def expected(self, *, wage: int, period: date, risk_class: int) -> Expected:
        cap = self.jp_cap(period)
        jp_base = min(wage, cap) if cap is not None else wage
        return Expected(
            jht_employer=percent_of(wage, self.rate("JHT", "employer", period)),
            jht_employee=percent_of(wage, self.rate("JHT", "employee", period)),
            jp_employer=percent_of(jp_base, self.rate("JP", "employer", period)),
            jp_employee=percent_of(jp_base, self.rate("JP", "employee", period)),
            jkk=percent_of(wage, self.rate("JKK", "employer", period, risk_class)),
            jkm=percent_of(wage, self.rate("JKM", "employer", period)),
            jkp=percent_of(wage, self.rate("JKP", "employer", period)),
            jp_base=jp_base,
        )
