"""manage.py cleanup: what goes once past retention, what always stays.

The world is built at known ages before NOW with time_machine (created_at and
updated_at take the travelled clock), each rule with one row just past its
retention and one just inside it.
"""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from captcha.models import CaptchaStore
from celery.schedules import crontab
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from accounts.models import LoginEvent
from audit.models import AuditEntry
from claims import services as claim_services
from claims.models import Claim, ClaimDocument
from documents.models import GeneratedDocument
from ibsu.celery import app
from outbox.models import OutboxMessage
from privacy.models import DataExport
from privacy.services import cleanup_run
from privacy.tasks import run_cleanup

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 19, 0, tzinfo=UTC)  # 02:00 in Jakarta
K = GeneratedDocument.Kind
D = GeneratedDocument.Status
R = Claim.Reason
EXPECTED = {
    "sessions": 1,
    "captchas": 1,
    "outbox_messages": 1,
    "login_events": 1,
    "claim_drafts": 1,
    "data_exports": 2,
    "generated_documents": 2,
    "files": 3,  # the abandoned draft's upload, the export, the old statement
}
NOTHING = dict.fromkeys(EXPECTED, 0)


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 200, 200)).save(out, format="PNG")
    return SimpleUploadedFile("ktp.png", out.getvalue(), content_type="image/png")


def exists(name: str) -> bool:
    return storages["private"].exists(name)


def generated(member, kind, params, *, at, status=D.READY):
    with time_machine.travel(at, tick=False):
        document = GeneratedDocument(
            member=member,
            kind=kind,
            params=params,
            language="en",
            status=status,
            data_hash="0" * 64,
        )
        if status == D.READY:
            document.file.save("doc.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        document.save()
    return document


def draft(member, reason, *, at, upload_at=None) -> tuple[Claim, ClaimDocument | None]:
    with time_machine.travel(at, tick=False):
        claim = Claim.objects.create(member=member, programme="JHT", reason=reason)
    document = None
    if upload_at:
        with time_machine.travel(upload_at, tick=False):
            document = claim_services.claim_document_add(
                claim=claim, kind=ClaimDocument.Kind.ID_CARD, upload=png()
            )
    return claim, document


@pytest.fixture
def world(member, other_member):
    w = {}
    w["session_old"] = Session.objects.create(
        session_key="a" * 32, session_data="", expire_date=ago(minutes=1)
    )
    w["session_live"] = Session.objects.create(
        session_key="b" * 32, session_data="", expire_date=NOW + timedelta(hours=1)
    )
    w["captcha_old"] = CaptchaStore.objects.create(
        challenge="ABCDE", response="abcde", hashkey="old", expiration=ago(minutes=1)
    )
    w["captcha_live"] = CaptchaStore.objects.create(
        challenge="FGHIJ",
        response="fghij",
        hashkey="live",
        expiration=NOW + timedelta(minutes=5),
    )
    sent = {"to": member.email, "subject": "s", "body_text": "b", "template": "t"}
    w["mail_old"] = OutboxMessage.objects.create(
        **sent, created_at=ago(days=91), sent_at=ago(days=91)
    )
    w["mail_recent"] = OutboxMessage.objects.create(
        **sent, created_at=ago(days=89), sent_at=ago(days=89)
    )
    w["mail_unsent"] = OutboxMessage.objects.create(**sent, created_at=ago(days=200))
    login = {"member": member, "identifier": member.kpj_number, "outcome": "success"}
    w["login_old"] = LoginEvent.objects.create(**login, created_at=ago(days=366))
    w["login_recent"] = LoginEvent.objects.create(**login, created_at=ago(days=364))

    w["draft_abandoned"], w["draft_abandoned_file"] = draft(
        member, R.RESIGNATION, at=ago(days=91), upload_at=ago(days=91)
    )
    # Untouched itself, but a document came 10 days ago: still in use.
    w["draft_uploaded"], _document = draft(
        member, R.DISMISSAL, at=ago(days=91), upload_at=ago(days=10)
    )
    w["draft_recent"], _document = draft(member, R.CONTRACT_END, at=ago(days=89))
    w["submitted"], _document = draft(
        other_member, R.RESIGNATION, at=ago(days=400), upload_at=ago(days=400)
    )
    Claim.objects.filter(pk=w["submitted"].pk).update(status=Claim.Status.SUBMITTED)

    for name, status, created, expires in (
        ("export_expired", "ready", ago(hours=80), ago(minutes=1)),
        ("export_live", "ready", ago(hours=70), NOW + timedelta(hours=2)),
        ("export_failed_old", "failed", ago(hours=73), None),
        ("export_failed_recent", "failed", ago(hours=71), None),
    ):
        export = DataExport(
            member=member,
            language="en",
            status=status,
            created_at=created,
            expires_at=expires,
        )
        if status == "ready":
            export.file.save("export.zip", ContentFile(b"PK"), save=False)
        export.save()
        w[name] = export

    statement = K.CONTRIBUTION_STATEMENT
    # One statement, asked for three times: only the oldest is past retention.
    w["doc_superseded_old"] = generated(
        member, statement, {"year_to": 2020, "year_from": 2020}, at=ago(days=400)
    )
    w["doc_superseded_young"] = generated(
        member, statement, {"year_from": 2020, "year_to": 2020}, at=ago(days=100)
    )
    w["doc_newest"] = generated(
        member, statement, {"year_from": 2020, "year_to": 2020}, at=ago(days=10)
    )
    # Old, but the newest of its kind and year: it stays.
    w["doc_old_but_newest"] = generated(
        member, K.JHT_STATEMENT, {"year": 2023}, at=ago(days=380)
    )
    # Old, superseded only by a failed attempt: still the one that works.
    w["doc_old_before_failure"] = generated(
        member, K.JHT_STATEMENT, {"year": 2022}, at=ago(days=500)
    )
    w["doc_failed_recent"] = generated(
        member, K.JHT_STATEMENT, {"year": 2022}, at=ago(days=30), status=D.FAILED
    )
    w["doc_failed_old"] = generated(
        member, K.MEMBERSHIP_CARD, {}, at=ago(days=366), status=D.FAILED
    )
    # The same statement of another member is their newest: it stays.
    w["doc_other_member"] = generated(
        other_member, statement, {"year_from": 2020, "year_to": 2020}, at=ago(days=400)
    )
    return w


GONE = [
    "session_old",
    "captcha_old",
    "mail_old",
    "login_old",
    "draft_abandoned",
    "draft_abandoned_file",
    "export_expired",
    "export_failed_old",
    "doc_superseded_old",
    "doc_failed_old",
]


def present(world) -> set[str]:
    return {
        name
        for name, obj in world.items()
        if type(obj)._default_manager.filter(pk=obj.pk).exists()
    }


def files_of(world) -> dict[str, bool]:
    return {
        name: exists(obj.file.name)
        for name, obj in world.items()
        if getattr(obj, "file", None)
    }


def snapshot() -> dict:
    models = (
        Session,
        CaptchaStore,
        OutboxMessage,
        LoginEvent,
        Claim,
        ClaimDocument,
        DataExport,
        GeneratedDocument,
        AuditEntry,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_cleanup_deletes_only_what_is_past_retention(world):
    with time_machine.travel(NOW, tick=False):
        counts = cleanup_run()

    assert counts == EXPECTED
    assert present(world) == set(world) - set(GONE)
    files = files_of(world)
    assert [name for name, there in files.items() if not there] == [
        "draft_abandoned_file",
        "export_expired",
        "doc_superseded_old",
    ]
    entry = AuditEntry.objects.get(action="privacy.cleanup")
    assert entry.data == EXPECTED
    assert entry.member is None


def test_a_second_run_finds_nothing(world):
    with time_machine.travel(NOW, tick=False):
        cleanup_run()
        before = snapshot()
        counts = cleanup_run()

    assert counts == NOTHING
    assert snapshot() == before  # not even an audit entry


def test_a_dry_run_counts_the_same_and_deletes_nothing(world):
    before, files = snapshot(), files_of(world)

    with time_machine.travel(NOW, tick=False):
        counts = cleanup_run(dry_run=True)

    assert counts == EXPECTED
    assert snapshot() == before
    assert files_of(world) == files
    assert all(files.values())


def test_two_days_earlier_only_the_oldest_statement_is_due(world):
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        counts = cleanup_run(dry_run=True)

    assert counts == {**NOTHING, "generated_documents": 1, "files": 1}


def test_the_command_reports_each_count_and_a_summary(world):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("cleanup", "--dry-run", stdout=out)
    text = out.getvalue()

    assert "Dry run: nothing is deleted." in text
    assert "login events past LOGIN_EVENT_RETENTION_DAYS: 1" in text
    assert "data exports past DATA_EXPORT_RETENTION_HOURS: 2" in text
    assert "9 row(s) and 3 file(s) would be deleted." in text
    assert LoginEvent.objects.filter(pk=world["login_old"].pk).exists()

    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("cleanup", stdout=out)
        call_command("cleanup", stdout=out)

    assert "9 row(s) and 3 file(s) deleted." in out.getvalue()
    assert "0 row(s) and 0 file(s) deleted." in out.getvalue()


def test_long_runs_report_progress(member, monkeypatch):
    monkeypatch.setattr("privacy.services.BATCH", 2)
    LoginEvent.objects.bulk_create(
        LoginEvent(member=member, outcome="success", created_at=ago(days=400))
        for _ in range(5)
    )
    seen = []

    with time_machine.travel(NOW, tick=False):
        counts = cleanup_run(progress=lambda name, done: seen.append((name, done)))

    assert counts["login_events"] == 5
    assert seen == [("login_events", 2), ("login_events", 4), ("login_events", 5)]


def test_cleanup_runs_nightly_at_two_from_celery_beat(world):
    entry = app.conf.beat_schedule["privacy-cleanup"]
    assert entry["task"] == "privacy.tasks.run_cleanup"
    assert entry["schedule"] == crontab(hour=2, minute=0)

    with time_machine.travel(NOW, tick=False):
        counts = run_cleanup.delay().get()

    assert counts == EXPECTED
