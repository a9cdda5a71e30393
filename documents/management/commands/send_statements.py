from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Member
from documents.services import document_request


class Command(BaseCommand):
    help = (
        "Queue the yearly JHT balance statement of every member with contributions "
        "(or of one member) and email each member when theirs is ready. Safe to run "
        "twice: a statement whose data did not change is reused and nobody is "
        "emailed twice. Rendering happens in the Celery worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, required=True, help="the statement year"
        )
        parser.add_argument("--member", help="only this member number (KPJ)")

    def handle(self, *args, year, member=None, **options):
        if year > timezone.localdate().year:
            raise CommandError("That year has not started yet.")
        members = Member.objects.filter(
            is_active=True, contributions__period__year__lte=year
        )
        if member:
            members = members.filter(kpj_number=member)
        members = members.distinct().order_by("pk")
        total = members.count()
        if member and not total:
            raise CommandError(f"No member {member} with contributions up to {year}.")
        queued = reused = 0
        for done, person in enumerate(members.iterator(chunk_size=500), start=1):
            document = document_request(
                member=person,
                kind="jht_statement",
                params={"year": year},
                language=person.preferred_language,
                notify=True,
            )
            if document.ready_at or document.notified_at:
                reused += 1
            else:
                queued += 1
            if done % 500 == 0:
                self.stdout.write(f"  {done}/{total} members")
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} member(s): {queued} statement(s) queued, "
                f"{reused} already made."
            )
        )
