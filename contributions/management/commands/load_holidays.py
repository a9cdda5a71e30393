from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contributions.due_dates import load_holidays
from contributions.figures import reference_changed
from contributions.models import Holiday


class Command(BaseCommand):
    help = (
        "Add a year's Indonesian public holidays and collective leave days "
        "(cuti bersama) from the `holidays` package to the calendar that moves "
        "contributions' due dates. Days already in the calendar, edited by staff "
        "or not, are kept; safe to run again. Check the government's decree on "
        "collective leave in admin afterwards: it can change during the year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", required=True)

    def handle(self, *args, year, **options):
        if any(not 2000 <= y <= 2100 for y in year):
            raise CommandError("Years must be between 2000 and 2100.")
        with transaction.atomic():
            added = load_holidays(Holiday, year)
            if added:
                reference_changed()
        years = ", ".join(str(y) for y in sorted(year))
        self.stdout.write(f"{added} days added to the holiday calendar for {years}.")
