"""The contributions page as data: what history_view shows, worked out by one
selector, and the columns the page and its CSV download share.

The unfiltered page keeps its slow parts as page parts of the member's figures
(ibsu.lib.page_cache, through contributions.figures): the years shown, the
totals and, in the template, the year tables, the balance table and the chart.
Filtered views are worked out each time: members combine filters freely, and
keeping every combination would take room in the shared Redis.
"""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from contributions.balance import JhtBalance, jht_balance_for_member
from contributions.chart import BarLineChart, balance_chart
from contributions.checks import HistoryChecks
from contributions.figures import MemberFigures
from contributions.forms import HistoryFilterForm
from contributions.models import Contribution
from contributions.rates import JkpCover
from contributions.selectors import (
    ROW_FIELDS,
    HistoryFilter,
    checks_for_member,
    contribution_totals,
    contribution_years,
    contributions_for_member,
    employer_choices,
    jkp_cover_for_member,
)

YEARS_PER_PAGE = 5


@dataclass(frozen=True)
class Column:
    """One column of the history: its row key, heading and how it is shown."""

    key: str
    heading: str
    kind: str  # "month", "text", "money" or "date"
    csv_heading: str = ""
    on_page: bool = True

    def csv_value(self, value):
        """Plain values for spreadsheets: whole rupiah, ISO months and dates."""
        if self.kind == "month":
            return value.strftime("%Y-%m")
        if self.kind == "date":
            return value.isoformat() if value else ""
        return value


def history_columns(amount_fields: tuple[str, ...] = Contribution.AMOUNT_FIELDS):
    """The columns of the page (the amounts a programme filter keeps) and,
    with every amount, of the CSV download."""
    labels = {field.name: field.verbose_name for field in Contribution._meta.fields}
    in_csv = {
        "jht_employer": _("JHT employer"),
        "jht_employee": _("JHT employee"),
        "jp_employer": _("JP employer"),
        "jp_employee": _("JP employee"),
        "jkk": _("JKK"),
        "jkm": _("JKM"),
    }
    return [
        Column("period", _("Month"), "month", csv_heading=_("Period")),
        Column("employer__npp", _("Employer number (NPP)"), "text", on_page=False),
        Column("employer__name", _("Employer"), "text"),
        Column("wage", _("Wage"), "money", csv_heading=_("Reported wage")),
        *(
            Column(field, labels[field], "money", csv_heading=in_csv[field])
            for field in amount_fields
        ),
        Column("paid_date", _("Paid on"), "date"),
    ]


@dataclass
class HistoryPage:
    form: HistoryFilterForm
    filters: HistoryFilter
    figures: MemberFigures  # keeps the page's parts
    rows_kept: bool  # the unfiltered view: its year tables are kept too
    page: Page
    rows: QuerySet  # the shown years' rows, newest first, read when rendered
    columns: list[Column]
    totals: dict[str, int]
    balance: JhtBalance
    chart: BarLineChart | None
    checks: HistoryChecks
    jkp: JkpCover | None
    query: str  # the filter part of the query string, for the page links


def history_page(*, member, query, today: date) -> HistoryPage:
    """Everything the contributions page shows for these query parameters."""
    figures = MemberFigures(member=member, today=today)
    # The page's kept parts in one round trip: its data, and the year tables
    # and balance layout the template will ask for.
    figures.prefetch(
        "balance",
        "checks",
        "employers",
        "jkp",
        "outline",
        f"years:{query.get('page') or 1}",
        "balance-layout",
    )
    known = figures.get(
        balance=lambda: jht_balance_for_member(member=member, until_year=today.year),
        checks=lambda: checks_for_member(member=member, today=today),
        employers=lambda: employer_choices(member=member),
        jkp=lambda: jkp_cover_for_member(member=member),
    )
    form = HistoryFilterForm(query or None, employers=known["employers"])
    filters = form.history_filter()
    rows = contributions_for_member(member=member, filters=filters)

    def outline():
        return contribution_years(rows), contribution_totals(
            rows, filters.amount_fields
        )

    kept = filters == HistoryFilter()
    years, totals = figures.get(outline=outline)["outline"] if kept else outline()
    page = Paginator(years, YEARS_PER_PAGE).get_page(query.get("page"))
    others = query.copy()
    others.pop("page", None)
    return HistoryPage(
        form=form,
        filters=filters,
        figures=figures,
        rows_kept=kept,
        page=page,
        rows=rows.filter(period__year__in=list(page.object_list))
        .order_by("-period", "employer__name")
        .values(*ROW_FIELDS),
        columns=[c for c in history_columns(filters.amount_fields) if c.on_page],
        totals=totals,
        balance=known["balance"],
        chart=balance_chart(known["balance"].years),
        checks=known["checks"],
        jkp=known["jkp"],
        query=others.urlencode(),
    )


def export_rows(*, member, query) -> tuple[list[Column], QuerySet]:
    """The CSV download: every column and the filtered rows, newest first."""
    employers = employer_choices(member=member)
    filters = HistoryFilterForm(query or None, employers=employers).history_filter()
    columns = history_columns()
    rows = (
        contributions_for_member(member=member, filters=filters)
        .order_by("-period", "employer__name")
        .values_list(*(column.key for column in columns))
    )
    return columns, rows


def history_context(history: HistoryPage) -> dict:
    """What templates/contributions/history.html reads."""
    return {
        **vars(history),
        "years_parts": history.figures if history.rows_kept else None,
        "years_part": f"years:{history.page.number}",
        "warnings": history.checks.warnings,
        "unknown_cap_years": history.checks.unknown_cap_years,
    }
