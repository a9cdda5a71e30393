from django.core.management.base import BaseCommand

from privacy.services import cleanup_run

LABELS = {
    "sessions": "expired sessions",
    "captchas": "expired CAPTCHAs",
    "outbox_messages": "sent emails past OUTBOX_RETENTION_DAYS",
    "login_events": "login events past LOGIN_EVENT_RETENTION_DAYS",
    "claim_drafts": "claim drafts untouched for CLAIM_DRAFT_RETENTION_DAYS",
    "data_exports": "data exports past DATA_EXPORT_RETENTION_HOURS",
    "generated_documents": (
        "superseded documents past GENERATED_DOCUMENT_RETENTION_DAYS"
    ),
    "files": "files in private storage",
}
PROGRESS_EVERY = 10_000


class Command(BaseCommand):
    help = (
        "Delete personal data past its retention period: expired sessions and "
        "CAPTCHAs; sent emails older than OUTBOX_RETENTION_DAYS (unsent ones "
        "stay); login events older than LOGIN_EVENT_RETENTION_DAYS; claim drafts "
        "neither edited nor given a document for CLAIM_DRAFT_RETENTION_DAYS, with "
        "their uploads; data exports past DATA_EXPORT_RETENTION_HOURS, with their "
        "files; generated documents older than GENERATED_DOCUMENT_RETENTION_DAYS "
        "that a newer ready one for the same member, kind and period replaces, "
        "with their files (the newest of each always stays, and a deleted one no "
        "longer verifies). Submitted claims, audit entries and contributions are "
        "never deleted. Safe to run twice: the second run finds nothing. Celery "
        "beat runs it every night at 02:00."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count what would be deleted, delete nothing",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write("Dry run: nothing is deleted.")
        counts = cleanup_run(dry_run=dry_run, progress=self._progress)
        for name, count in counts.items():
            self.stdout.write(f"  {LABELS[name]}: {count}")
        rows = sum(count for name, count in counts.items() if name != "files")
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(
            self.style.SUCCESS(f"{rows} row(s) and {counts['files']} file(s) {verb}.")
        )

    def _progress(self, name: str, done: int) -> None:
        if done and done % PROGRESS_EVERY == 0:
            self.stdout.write(f"  … {LABELS[name]}: {done} so far")
