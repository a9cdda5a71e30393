"""What an employers' report looks like, and what an import tells its caller."""

from dataclasses import dataclass, field

from contributions.models import Contribution

COLUMNS = (
    "npp",
    "kpj",
    "nik",
    "period",
    "wage",
    *Contribution.AMOUNT_FIELDS,
    "jkp",
    "paid_date",
)
MONEY_COLUMNS = ("wage", *Contribution.AMOUNT_FIELDS)
# Contribution fields an import sets, besides the (member, employer, period) key.
VALUE_FIELDS = (*MONEY_COLUMNS, "paid_date")
# Errors kept for the report; a file with more is refused all the same.
MAX_ERRORS = 50

# \A and \Z, which PostgreSQL and Python both read as the text's very ends
# ($ would let a trailing line break through in Python).
PERIOD_PATTERN = r"\A[1-9][0-9]{3}-(0[1-9]|1[0-2])\Z"
RUPIAH_PATTERN = r"\A[0-9]+\Z"
RUPIAH_MAX_DIGITS = 18  # always fits a bigint
DATE_PATTERN = r"\A[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])\Z"
# Employers pay nothing for JKP (PP 37/2021 art. 11; PP 6/2025): the column is
# kept so reports in the usual layout still read, and must be 0 or empty. A
# figure there would be a payment that does not exist, so the file is refused.
NO_JKP_PATTERN = r"\A0*\Z"
NOT_UTF8 = "not valid UTF-8"

# The file's rows as text, with their line numbers (the header is line 1).
STAGING = "contributions_import_staging"


@dataclass
class ImportReport:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return not self.errors


class Refused(Exception):
    """The file cannot be read any further: one error ends the import."""

    def __init__(self, line: int, reason: str):
        super().__init__(line, reason)
        self.line = line
        self.reason = reason
