"""The one way the portal writes CSV: no cell can run as a spreadsheet formula.

A cell starting with =, +, -, @, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (OWASP "CSV injection"): an employer
named `=HYPERLINK("http://evil.example","Klik")` would become a live link in a
member's download. Such cells get a leading apostrophe, which spreadsheets
show as text. Plain signed numbers (-12.5, +6281234567890) are left as they
are. tests/ibsu/test_csv_safe.py checks that no other module calls the csv
module's writers.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![0-9 ().-]*$)")


def spreadsheet_safe(value: Any) -> Any:
    """The value, with an apostrophe in front if a spreadsheet would run it."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell goes through spreadsheet_safe()."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> SafeWriter:
    return SafeWriter(file, **kwargs)
