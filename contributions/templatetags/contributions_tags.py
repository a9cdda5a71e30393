from django import template
from django.utils import dateformat
from django.utils.dates import MONTHS
from django.utils.formats import get_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ibsu.lib.money import format_rupiah

register = template.Library()


@register.filter
def history_cell(row: dict, column) -> str:
    """A history row's value for a column (contributions.history.Column), as
    the page shows it in the member's language."""
    value = row.get(column.key)
    if column.kind == "month":
        return str(MONTHS[value.month])
    if column.kind == "money":
        return format_rupiah(value or 0, get_language())
    if column.kind == "date":
        if value is None:
            return _("not paid")
        return dateformat.format(value, get_format("SHORT_DATE_FORMAT"))
    return value
