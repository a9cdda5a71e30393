from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from contributions.importer import COLUMNS, MAX_ERRORS, contributions_import


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's option order, with the help's line breaks kept."""


class Command(BaseCommand):
    help = f"""\
Import employers' monthly contribution reports from a CSV file.

The file is UTF-8, comma-separated, one row per line, with a header row that
names these columns in this order:

  {",".join(COLUMNS)}

  npp         the employer's registration number (NPP)
  kpj, nik    the member's number (KPJ) and national ID number (NIK)
  period      the month, as YYYY-MM
  wage, jht_employer ... jkm
              whole rupiah, 0 or more, without separators: 1500000
  jkp         0 or empty: employers pay nothing for JKP (PP 37/2021 art. 11,
              PP 6/2025); a file with another figure there is refused
  paid_date   YYYY-MM-DD, or empty if not paid yet

Every row must name a known employer and a known member with that member's
NIK, and no (npp, kpj, period) may appear twice. All or nothing: if any row is
invalid, nothing is written and the first {MAX_ERRORS} invalid lines are listed
by line number (the header is line 1). A row adds the member's contribution
for that employer and month, or updates it if its figures differ, so running
the command again on the same file changes nothing. With --dry-run the file is
checked and the changes counted, but nothing is written."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the report, a CSV file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count the changes, writing nothing",
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = contributions_import(
            path=file,
            dry_run=dry_run,
            progress=self._show_progress if verbosity > 0 else None,
        )
        if not report.succeeded:
            for line, reason in report.errors:
                self.stderr.write(f"line {line}: {reason}")
            more = " or more" if len(report.errors) == MAX_ERRORS else ""
            raise CommandError(
                f"{file} refused, invalid lines: {len(report.errors)}{more}; "
                "nothing was written."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write(
            f"rows: {report.rows}, inserted: {report.inserted}, "
            f"updated: {report.updated}, unchanged: {report.unchanged}"
        )

    def _show_progress(self, rows: int) -> None:
        self.stdout.write(f"{rows:,} rows read")
