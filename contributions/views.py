from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from contributions.history import export_rows, history_context, history_page
from ibsu.lib.csv_safe import csv_writer


@login_required
@never_cache
def history_view(request):
    history = history_page(
        member=request.user, query=request.GET, today=timezone.localdate()
    )
    return render(request, "contributions/history.html", history_context(history))


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value):
        return value


@login_required
def export_csv_view(request):
    """The filtered history as CSV, streamed, with a header in the member's language."""
    columns, rows = export_rows(member=request.user, query=request.GET)
    writer = csv_writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        yield writer.writerow([str(c.csv_heading or c.heading) for c in columns])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    column.csv_value(value)
                    for value, column in zip(row, columns, strict=True)
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="contributions-{request.user.kpj_number}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
