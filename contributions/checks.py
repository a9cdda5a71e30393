"""Checks that protect the member: is every month there, right and on time?

Each finding is grouped into runs of consecutive months per employer, so 40
years of history give a handful of readable warnings rather than hundreds.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from contributions.models import Contribution
from contributions.rates import RateBook

# A month's contributions are due by this day of the following month.
DUE_DAY = 15
# Reported amounts may differ from the statutory ones by this much (rounding).
TOLERANCE = 1


class Finding(TextChoices):
    ARREARS = "arrears", _("Months with no contribution")
    UNPAID = "unpaid", _("Reported but not paid")
    LATE = "late", _("Paid late")
    MISMATCH = "mismatch", _("Amounts differ from the statutory rates")
    JP_ABOVE_CAP = "jp_above_cap", _("Pension (JP) computed above the wage cap")
    BELOW_MINIMUM = "below_minimum", _("Wage below the regional minimum")


@dataclass
class Warning:
    finding: str
    employer_name: str
    first: date
    last: date
    months: int

    @property
    def label(self) -> str:
        return Finding(self.finding).label


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def due_date(period: date) -> date:
    return next_month(period).replace(day=DUE_DAY)


def find_problems(
    *, rows, employments, rates: RateBook, minimum_wages: dict, today: date
) -> list[Warning]:
    """Warnings for a member's history.

    rows: dicts with employer_id, employer__name, employer__risk_class,
    employer__province_code, period, wage, paid_date and the amount fields;
    employments: (employer_id, employer name, start, end) tuples;
    minimum_wages: {(province_code, year): amount}.
    """
    # (finding, employer id) -> months; a set, as overlapping employments at
    # one employer must not report a month twice.
    flagged: dict[tuple[str, int], set[date]] = {}
    names: dict[int, str] = {}

    def flag(finding: str, employer_id: int, name: str, period: date) -> None:
        names[employer_id] = name
        flagged.setdefault((finding, employer_id), set()).add(period)

    seen: set[tuple[int, date]] = set()
    for row in rows:
        period, name = row["period"], row["employer__name"]
        seen.add((row["employer_id"], period))
        if row["paid_date"] is None:
            if due_date(period) < today:
                flag(Finding.UNPAID, row["employer_id"], name, period)
        elif row["paid_date"] > due_date(period):
            flag(Finding.LATE, row["employer_id"], name, period)
        expected = rates.expected(
            wage=row["wage"], period=period, risk_class=row["employer__risk_class"]
        )
        jp_over = row["wage"] > expected.jp_base and any(
            row[field] > getattr(expected, field) + TOLERANCE
            for field in ("jp_employer", "jp_employee")
        )
        if jp_over:
            flag(Finding.JP_ABOVE_CAP, row["employer_id"], name, period)
        checked = [
            f
            for f in Contribution.AMOUNT_FIELDS
            if not (jp_over and f.startswith("jp_"))
        ]
        if any(abs(row[f] - getattr(expected, f)) > TOLERANCE for f in checked):
            flag(Finding.MISMATCH, row["employer_id"], name, period)
        minimum = minimum_wages.get((row["employer__province_code"], period.year))
        if minimum is not None and row["wage"] < minimum:
            flag(Finding.BELOW_MINIMUM, row["employer_id"], name, period)

    for employer_id, name, start, end in employments:
        period = start.replace(day=1)
        last = (end or today).replace(day=1)
        while period <= last and due_date(period) < today:
            if (employer_id, period) not in seen:
                flag(Finding.ARREARS, employer_id, name, period)
            period = next_month(period)

    warnings = []
    for (finding, employer_id), periods in flagged.items():
        warnings.extend(_runs(finding, names[employer_id], sorted(periods)))
    order = list(Finding.values)
    warnings.sort(key=lambda w: (order.index(w.finding), -w.last.toordinal()))
    return warnings


_AMOUNTS = (
    "jht_employer",
    "jht_employee",
    "jp_employer",
    "jp_employee",
    "jkk",
    "jkm",
    "jkp",
)


def _runs(finding: str, name: str, periods: list[date]) -> list[Warning]:
    """Consecutive months grouped: Jan, Feb, Mar, Jun -> Jan–Mar (3), Jun (1)."""
    runs: list[Warning] = []
    for period in periods:
        if runs and next_month(runs[-1].last) == period:
            runs[-1].last = period
            runs[-1].months += 1
        else:
            runs.append(Warning(finding, name, period, period, 1))
    return runs
