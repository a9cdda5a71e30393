"""When a month's contributions fall due, and what paying late costs the employer.

A month is due by the 15th of the next month; when that day is a weekend, a
public holiday or a collective leave day (cuti bersama), by the next working
day (PP 44/2015). A relief period may set another day and direction: PP 49/2020
made it the 30th, or the working day before it. Paying late costs a fine of a
percentage of the month's contributions for each month or part of a month late.
All of it is data: PaymentTerms, ReliefPeriod and Holiday.
"""

import bisect
import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from contributions.models import Holiday, PaymentTerms, ReliefPeriod, WorkingDayShift
from contributions.rates import percent_of

SATURDAY = 5


@dataclass(frozen=True)
class Terms:
    due_day: int
    shift: str
    late_fine_percent: Decimal
    regulation: str  # the relief that set them, or "" for the usual terms


class PaymentCalendar:
    def __init__(self, terms, reliefs, holidays):
        self._terms = sorted(terms, key=lambda row: row.effective_from)
        self._starts = [row.effective_from for row in self._terms]
        self._reliefs = [r for r in reliefs if r.due_day or r.late_fine_percent]
        self._holidays = frozenset(holidays)

    @classmethod
    def load(cls) -> "PaymentCalendar":
        return cls(
            PaymentTerms.objects.all(),
            ReliefPeriod.objects.all(),
            Holiday.objects.values_list("day", flat=True),
        )

    def terms(self, period: date, industry: str) -> Terms | None:
        """The terms for a period, or None before the first PaymentTerms row:
        an unknown due date is never guessed."""
        index = bisect.bisect(self._starts, period)
        if not index:
            return None
        usual = self._terms[index - 1]
        due_day, shift = usual.due_day, usual.if_not_working_day
        fine, regulation = usual.late_fine_percent, ""
        for relief in self._reliefs:
            if relief.applies_to(period, industry):
                due_day = relief.due_day or due_day
                shift = relief.if_not_working_day or shift
                if relief.late_fine_percent is not None:
                    fine = relief.late_fine_percent
                regulation = relief.regulation
        return Terms(due_day, shift, fine, regulation)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < SATURDAY and day not in self._holidays

    def due_date(self, period: date, industry: str = "other") -> date | None:
        terms = self.terms(period, industry)
        if terms is None:
            return None
        year, month_index = divmod(period.year * 12 + period.month, 12)
        month = month_index + 1  # the month after the period
        # A due day the month lacks (the 30th in February) is its last day.
        day = date(year, month, min(terms.due_day, calendar.monthrange(year, month)[1]))
        step = timedelta(days=1 if terms.shift == WorkingDayShift.NEXT else -1)
        while not self.is_working_day(day):
            day += step
        return day

    def late_fine(self, *, amount: int, period: date, industry: str, paid: date) -> int:
        """The fine for paying `amount` on `paid`: the rate for each month or
        part of a month after the due date, rounded half up to the rupiah."""
        due = self.due_date(period, industry)
        if due is None or paid <= due:
            return 0
        return percent_of(
            amount,
            self.terms(period, industry).late_fine_percent * months_late(due, paid),
        )


def months_late(due: date, paid: date) -> int:
    """Each month or part of a month after `due`: the 16th is 1, a month
    later to the day is still 1, the day after that 2."""
    months = (paid.year - due.year) * 12 + paid.month - due.month
    return months + (paid.day > due.day) if paid > due else 0


def load_holidays(holiday_model, years) -> int:
    """Add Indonesia's public holidays and collective leave days of `years` from
    the `holidays` package; days already there (perhaps edited by staff) stay.

    Takes the model so that a data migration can pass its historical one.
    """
    import holidays

    source = f"holidays {holidays.__version__} (python-holidays), Indonesia"
    known = set(holiday_model.objects.values_list("day", flat=True))
    new = []
    for category, kind in (("public", "public"), ("government", "collective_leave")):
        days = holidays.Indonesia(years=years, categories=(category,))
        for day, name in sorted(days.items()):
            if day not in known:
                known.add(day)
                new.append(holiday_model(day=day, name=name, kind=kind, source=source))
    holiday_model.objects.bulk_create(new)
    return len(new)
