"""What the member's family would receive today, from JKM and JKK (PP 82/2019
amending PP 44/2015), with the figures of plan.BenefitFigure.

- Death not caused by work (JKM): a lump sum, a periodic benefit paid at once
  and funeral costs; scholarships for up to two children once the member has
  contributed long enough. The JHT balance goes to the heirs as well.
- Death by a work accident (JKK): a multiple of the monthly wage.
- Total permanent disability from a work accident (JKK): a larger multiple.
- Unable to work after a work accident (JKK): the full wage for some months,
  then part of it, until recovered.
"""

from dataclasses import dataclass
from decimal import Decimal

from contributions.rates import percent_of
from plan.models import BenefitFigure

Kind = BenefitFigure.Kind


@dataclass(frozen=True)
class FamilyCover:
    figures: dict[str, BenefitFigure]
    wage: int | None  # the current monthly wage; None without contributions
    contribution_months: int  # months with any paid contribution
    children: int  # children registered as heirs
    jht_balance: int

    def amount(self, kind: str) -> int | None:
        figure = self.figures.get(kind)
        return figure.amount if figure else None

    @property
    def jkm_total(self) -> int | None:
        parts = [
            self.amount(kind)
            for kind in (Kind.JKM_LUMP_SUM, Kind.JKM_PERIODIC, Kind.JKM_FUNERAL)
        ]
        return None if None in parts else sum(parts)

    @property
    def scholarship_months_short(self) -> int:
        """Months of contributions still needed before scholarships are due."""
        needed = self.amount(Kind.SCHOLARSHIP_MONTHS) or 0
        return max(0, needed - self.contribution_months)

    def _times_wage(self, kind: str) -> int | None:
        multiple = self.amount(kind)
        return None if multiple is None or self.wage is None else multiple * self.wage

    @property
    def jkk_death(self) -> int | None:
        return self._times_wage(Kind.JKK_DEATH_WAGES)

    @property
    def jkk_disability(self) -> int | None:
        return self._times_wage(Kind.JKK_DISABILITY_WAGES)

    @property
    def jkk_later_pay(self) -> int | None:
        """The monthly pay after the months at the full wage."""
        percent = self.amount(Kind.JKK_LATER_PAY_PERCENT)
        if percent is None or self.wage is None:
            return None
        return percent_of(self.wage, Decimal(percent))

    @property
    def unconfirmed(self) -> list[BenefitFigure]:
        return [figure for figure in self.figures.values() if not figure.confirmed]
