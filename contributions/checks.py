"""Checks that protect the member: is every month there, right and on time?

Each month is judged by the regulations in force for it: the rates and JP cap
(RateBook), relief periods that allowed lower amounts or a later due date, the
due date moved past weekends and holidays (PaymentCalendar), and the regional
minimum wage. Findings are grouped into runs of consecutive months per
employer, so 40 years of history give a handful of readable warnings.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from contributions.due_dates import PaymentCalendar
from contributions.rates import Expected, RateBook, cap_year

# Reported amounts may differ from the statutory ones by this much (rounding).
TOLERANCE = 1
JP_FIELDS = ("jp_employer", "jp_employee")
OTHER_FIELDS = ("jht_employer", "jht_employee", "jkk", "jkm")


class Finding(TextChoices):
    ARREARS = "arrears", _("Months with no contribution")
    UNPAID = "unpaid", _("Reported but not paid")
    LATE = "late", _("Paid late")
    MISMATCH = "mismatch", _("Amounts differ from the statutory rates")
    JP_ABOVE_CAP = "jp_above_cap", _("Pension (JP) computed above the wage cap")
    BELOW_MINIMUM = "below_minimum", _("Wage below the regional minimum")


@dataclass(frozen=True)
class WageFloor:
    """The minimum wage a month's wage was compared with."""

    level: str  # "UMK" (regency or city) or "UMP" (province)
    region: str
    year: int
    amount: int


class WageFloors:
    """Minimum wages by region and year: the regency's or city's UMK where the
    table has one, else the province's UMP."""

    def __init__(self, rows):
        # rows: (province_code, regency_code, region_name, year, amount)
        self._table = {
            (province, regency, year): (region, amount)
            for province, regency, region, year, amount in rows
        }

    def floor(self, *, province: str, regency: str, year: int) -> WageFloor | None:
        for level, key in (("UMK", regency), ("UMP", "")):
            if (level == "UMP" or key) and (province, key, year) in self._table:
                region, amount = self._table[(province, key, year)]
                return WageFloor(level, region, year, amount)
        return None


@dataclass
class Warning:
    finding: str
    employer_name: str
    first: date
    last: date
    months: int
    fine: int = 0  # late fines of the run's months, rupiah
    wage_floor: WageFloor | None = None  # of the run's last month

    @property
    def label(self) -> str:
        return Finding(self.finding).label


@dataclass
class HistoryChecks:
    warnings: list[Warning] = field(default_factory=list)
    # Years whose JP cap is not in the table yet: their JP is not checked.
    unknown_cap_years: list[int] = field(default_factory=list)


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def find_problems(
    *,
    rows,
    employments,
    rates: RateBook,
    calendar: PaymentCalendar,
    wage_floors: WageFloors,
    today: date,
) -> HistoryChecks:
    """The warnings for a member's history.

    rows: dicts with employer_id, employer__name, employer__risk_class,
    employer__industry, employer__province_code, employer__regency_code,
    period, wage, paid_date and the amount fields; employments:
    (employer_id, employer name, industry, start, end) tuples.
    """
    # (finding, employer id) -> {month: its fine or wage floor}; keyed by month,
    # as overlapping employments at one employer must not report a month twice.
    flagged: dict[tuple[str, int], dict[date, object]] = {}
    names: dict[int, str] = {}
    unknown_caps: set[int] = set()

    def flag(finding: str, employer_id: int, name: str, period: date, extra=None):
        names[employer_id] = name
        flagged.setdefault((finding, employer_id), {})[period] = extra

    seen: set[tuple[int, date]] = set()
    for row in rows:
        period, employer_id = row["period"], row["employer_id"]
        seen.add((employer_id, period))
        findings = (
            *_timing(row, calendar, today),
            *_amounts(row, rates, today, unknown_caps),
            *_wage_floor(row, wage_floors),
        )
        for finding, extra in findings:
            flag(finding, employer_id, row["employer__name"], period, extra)

    for employer_id, name, industry, start, end in employments:
        period = start.replace(day=1)
        last = (end or today).replace(day=1)
        while period <= last:
            due = calendar.due_date(period, industry)
            if due is not None and due >= today:
                break
            if due is not None and (employer_id, period) not in seen:
                flag(Finding.ARREARS, employer_id, name, period)
            period = next_month(period)

    warnings = []
    for (finding, employer_id), months in flagged.items():
        warnings.extend(_runs(finding, names[employer_id], months))
    order = list(Finding.values)
    warnings.sort(key=lambda w: (order.index(w.finding), -w.last.toordinal()))
    return HistoryChecks(warnings, sorted(unknown_caps))


def _timing(row: dict, calendar: PaymentCalendar, today: date):
    """Unpaid or late, with the employer's fine for a late month."""
    period, industry, paid = row["period"], row["employer__industry"], row["paid_date"]
    due = calendar.due_date(period, industry)
    if due is None:  # before the first payment terms on record: not judged
        return
    if paid is None and due < today:
        yield Finding.UNPAID, None
    elif paid is not None and paid > due:
        amount = sum(row[f] for f in (*JP_FIELDS, *OTHER_FIELDS))
        fine = calendar.late_fine(
            amount=amount, period=period, industry=industry, paid=paid
        )
        yield Finding.LATE, fine


def _amounts(row: dict, rates: RateBook, today: date, unknown_caps: set[int]):
    """The amounts against the statutory ones of the month (and its reliefs)."""
    expected = rates.expected(
        wage=row["wage"],
        period=row["period"],
        risk_class=row["employer__risk_class"],
        industry=row["employer__industry"],
    )
    if expected.jp_employer is None:  # the year's JP cap is not known yet
        unknown_caps.add(cap_year(row["period"]))
        jp_ok = True
    elif _jp_above_cap(row, expected):
        yield Finding.JP_ABOVE_CAP, None
        jp_ok = True  # reported once, as the cap problem it is
    else:
        jp_ok = _jp_as_due(row, expected, today)
    if not (jp_ok and all(_as_due(row, expected, f) for f in OTHER_FIELDS)):
        yield Finding.MISMATCH, None


def _wage_floor(row: dict, wage_floors: WageFloors):
    floor = wage_floors.floor(
        province=row["employer__province_code"],
        regency=row["employer__regency_code"],
        year=row["period"].year,
    )
    if floor is not None and row["wage"] < floor.amount:
        yield Finding.BELOW_MINIMUM, floor


def _jp_above_cap(row: dict, expected: Expected) -> bool:
    # jp_base is 0 before JP began: amounts then are simply not due.
    return (
        bool(expected.jp_base)
        and row["wage"] > expected.jp_base
        and any(row[f] > getattr(expected, f) + TOLERANCE for f in JP_FIELDS)
    )


def _jp_as_due(row: dict, expected: Expected, today: date) -> bool:
    if all(_as_due(row, expected, f) for f in JP_FIELDS):
        return True
    # PP 49/2020: paying 1 % of JP while the rest is deferred was lawful until
    # the deferral ended; both shares together, however the report splits them.
    until = expected.jp_deferred_until
    deferred = expected.jp_due_now is not None and (until is None or today <= until)
    reported = row["jp_employer"] + row["jp_employee"]
    return deferred and abs(reported - expected.jp_due_now) <= 2 * TOLERANCE


def _as_due(row: dict, expected: Expected, field_name: str) -> bool:
    """The reported amount is the full one, or the relieved one in a relief."""
    allowed = [getattr(expected, field_name)]
    if field_name in expected.relieved:
        allowed.append(expected.relieved[field_name])
    return any(abs(row[field_name] - amount) <= TOLERANCE for amount in allowed)


def _runs(finding: str, name: str, months: dict[date, object]) -> list[Warning]:
    """Consecutive months grouped: Jan, Feb, Mar, Jun -> Jan–Mar (3), Jun (1)."""
    runs: list[Warning] = []
    for period in sorted(months):
        extra = months[period]
        if runs and next_month(runs[-1].last) == period:
            run = runs[-1]
            run.last, run.months = period, run.months + 1
        else:
            run = Warning(finding, name, period, period, 1)
            runs.append(run)
        if isinstance(extra, int):
            run.fine += extra
        elif isinstance(extra, WageFloor):
            run.wage_floor = extra
    return runs
