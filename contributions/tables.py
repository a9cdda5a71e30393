"""The history page's long tables, formatted and marked up in Python.

A forty-year history is thousands of cells: through the template language they
cost more than the rest of the page together (make bench). Every value is escaped
by ibsu.lib.html.table_rows.
"""

from functools import partial

from django.utils import dateformat
from django.utils.dates import MONTHS
from django.utils.formats import get_format, localize
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from contributions.balance import BalanceYear, JhtBalance
from contributions.models import Contribution
from ibsu.lib.html import table_rows
from ibsu.lib.money import format_rupiah


class HistoryTable:
    """The history rows of one page, in the member's language."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields
        labels = {field.name: field.verbose_name for field in Contribution._meta.fields}
        self.headings = [labels[field] for field in fields]
        self.months = [str(MONTHS[number]) for number in range(1, 13)]
        self.money = partial(format_rupiah, language=get_language())
        self.not_paid = _("not paid")
        self.date_format = get_format("SHORT_DATE_FORMAT")
        amounts = '<td class="num">{}</td>' * len(fields)
        # Month, employer, wage, the amounts, paid on: every value is escaped.
        self.markup = (
            '<tr><th scope="row">{}</th><td>{}</td><td class="num">{}</td>'
            f"{amounts}<td>{{}}</td></tr>"
        )

    def body(self, rows) -> str:
        return table_rows(self.markup, map(self.cells, rows))

    def cells(self, row: dict) -> tuple:
        paid = row["paid_date"]
        return (
            self.months[row["period"].month - 1],
            row["employer__name"],
            self.money(row["wage"]),
            *(self.money(row[field]) for field in self.fields),
            dateformat.format(paid, self.date_format) if paid else self.not_paid,
        )

    def totals(self, sums: dict[str, int]) -> dict:
        return {
            "wage": self.money(sums["wage"]),
            "amounts": [self.money(sums[field]) for field in self.fields],
            "total": self.money(sums["total"]),
        }


def balance_rows(balance: JhtBalance) -> str:
    """The JHT balance year by year, latest year first."""
    money = partial(format_rupiah, language=get_language())
    return table_rows(
        '<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
        '<td class="num">{}</td></tr>',
        (
            (
                year.year,
                money(year.opening),
                money(year.contributions),
                money(year.withdrawals),
                return_rate(year),
                money(year.returns),
                money(year.closing),
            )
            for year in reversed(balance.years)
        ),
    )


def return_rate(year: BalanceYear) -> str:
    if year.percent is None:
        return _("not yet published")
    rate = f"{localize(year.percent)}%"
    return f"{rate} ({_('demo')})" if year.rate_is_demo else rate
