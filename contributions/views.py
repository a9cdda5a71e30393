from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from contributions.balance import jht_balance_for_member
from contributions.chart import history_chart_svg
from contributions.figures import MemberFigures
from contributions.forms import HistoryFilterForm
from contributions.models import Contribution
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
from contributions.tables import HistoryTable, balance_rows
from ibsu.lib.csv_safe import csv_writer

YEARS_PER_PAGE = 5


def _filter_form(request, employers) -> HistoryFilterForm:
    return HistoryFilterForm(request.GET or None, employers=employers)


@login_required
@never_cache
def history_view(request):
    member = request.user
    today = timezone.localdate()
    language = get_language()
    figures = MemberFigures(member=member, today=today)
    known = figures.get(
        balance=lambda: jht_balance_for_member(member=member, until_year=today.year),
        checks=lambda: checks_for_member(member=member, today=today),
        employers=lambda: employer_choices(member=member),
        jkp=lambda: jkp_cover_for_member(member=member),
    )
    balance = known["balance"]
    form = _filter_form(request, known["employers"])
    filters = form.history_filter()
    rows = contributions_for_member(member=member, filters=filters)
    table = HistoryTable(filters.amount_fields)
    # Laid out once per language and kept with the figures: the balance's
    # table and chart and the unfiltered history. Filtered
    # views are worked out each time: members combine filters freely, and
    # every combination kept would take room in the shared Redis.
    kept = filters == HistoryFilter()
    layout = f"balance-layout:{language}"

    def outline_of():
        return contribution_years(rows), contribution_totals(
            rows, filters.amount_fields
        )

    laid_out = figures.get(
        **{
            layout: lambda: (
                balance_rows(balance),
                history_chart_svg(
                    balance.years, title_id="chart-title", desc_id="chart-desc"
                ),
            ),
            **({"outline": outline_of} if kept else {}),
        }
    )
    years, sums = laid_out["outline"] if kept else outline_of()
    page = Paginator(years, YEARS_PER_PAGE).get_page(request.GET.get("page"))

    def rows_of():
        return _year_rows(table, rows, years=list(page.object_list))

    shown = f"rows:{page.number}:{language}"
    year_rows = figures.get(**{shown: rows_of})[shown] if kept else rows_of()
    balance_table, chart = laid_out[layout]
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "years": year_rows,
        "columns": table.headings,
        "totals": table.totals(sums),
        "balance": balance,
        "balance_rows": balance_table,
        "chart": chart,
        "warnings": known["checks"].warnings,
        "unknown_cap_years": known["checks"].unknown_cap_years,
        "jkp": known["jkp"],
        "query": _query_without_page(request),
    }
    return render(request, "contributions/history.html", context)


def _year_rows(table: HistoryTable, rows, *, years: list[int]) -> list[tuple]:
    """(year, its rows' markup) for the years of one page, latest first."""
    shown = (
        rows.filter(period__year__in=years)
        .order_by("-period", "employer__name")
        .values(*ROW_FIELDS)
    )
    return [
        (year, table.body(group))
        for year, group in groupby(shown, key=lambda row: row["period"].year)
    ]


def _query_without_page(request) -> str:
    """The filter part of the query string, for links that set their own page."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value):
        return value


@login_required
def export_csv_view(request):
    """The filtered history as CSV, streamed, with a header in the member's language."""
    member = request.user
    employers = MemberFigures(member=member, today=timezone.localdate()).get(
        employers=lambda: employer_choices(member=member)
    )["employers"]
    filters = _filter_form(request, employers).history_filter()
    rows = (
        contributions_for_member(member=member, filters=filters)
        .order_by("-period", "employer__name")
        .values_list(
            "period",
            "employer__npp",
            "employer__name",
            "wage",
            *Contribution.AMOUNT_FIELDS,
            "paid_date",
        )
    )
    header = [
        _("Period"),
        _("Employer number (NPP)"),
        _("Employer"),
        _("Reported wage"),
        _("JHT employer"),
        _("JHT employee"),
        _("JP employer"),
        _("JP employee"),
        _("JKK"),
        _("JKM"),
        _("Paid on"),
    ]
    writer = csv_writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        yield writer.writerow(header)
        for period, npp, name, wage, *amounts, paid in rows.iterator(chunk_size=2000):
            paid_text = paid.isoformat() if paid else ""
            yield writer.writerow(
                [period.strftime("%Y-%m"), npp, name, wage, *amounts, paid_text]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="contributions-{request.user.kpj_number}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
