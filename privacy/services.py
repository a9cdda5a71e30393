"""The member's copy of their data (UU 27/2022), and deleting what is past
retention. Building the copy never happens in a request."""

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import NamedTuple

from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import LoginEvent, Member
from accounts.notify import member_notify
from audit.services import audit_record
from claims.models import Claim, ClaimDocument
from documents.models import GeneratedDocument
from ibsu.lib.leases import (
    lease_held,
    lease_held_rows,
    lease_take,
    leases_requeue,
    needs_requeue,
)
from ibsu.lib.page_cache import invalidate
from outbox.models import OutboxMessage
from privacy.content import write_export
from privacy.models import DataExport

logger = logging.getLogger(__name__)

E = DataExport.Status
_STATES = {"queued": E.QUEUED, "working": E.WORKING}


# --- Download my data ---------------------------------------------------------


def data_export_request(
    *, member: Member, language: str, ip: str = ""
) -> tuple[DataExport, bool]:
    """The member's export being made, or a new one queued after commit.

    Asking again while one is pending returns that one (True only when a new
    one was made); if a broker outage left it waiting, it is queued again.
    """
    with transaction.atomic():
        # One request at a time per member; the database constraint backs this.
        list(Member.objects.select_for_update().filter(pk=member.pk).values("pk"))
        pending = DataExport.objects.filter(
            member=member, status__in=DataExport.PENDING
        ).first()
        if pending is not None:
            if needs_requeue(pending, **_STATES, queued_before=_queued_before()):
                transaction.on_commit(lambda: _enqueue(pending.pk))
            return pending, False
        export = DataExport(member=member, language=language)
        export.full_clean()
        export.save()
        audit_record(
            action="privacy.export_requested",
            member=member,
            actor=member,
            data={"export": export.pk},
            ip=ip,
        )
        transaction.on_commit(lambda: _enqueue(export.pk))
    return export, True


def _queued_before() -> datetime:
    return timezone.now() - settings.OUTBOX_STUCK_AFTER


def data_exports_requeue_stuck() -> int:
    """Queue again exports left waiting by a broker outage, and those whose
    worker died while building them (lease run out). Beat, every minute."""
    return leases_requeue(
        DataExport,
        **_STATES,
        failed=E.FAILED,
        queued_before=_queued_before(),
        enqueue=_enqueue,
    )


def _enqueue(export_id: int) -> None:
    from privacy.tasks import build_data_export

    try:
        build_data_export.delay(export_id)
    except Exception:  # broker down: asking again queues it again
        logger.warning("broker unavailable, data export %s left queued", export_id)


def data_export_build(*, export_id: int) -> DataExport | None:
    """Write the member's ZIP to private storage and email them. Safe to call twice.

    Progress is saved step by step outside any transaction, so the member's
    page shows it. A failure marks the export failed (the member asks again);
    only the error's type is kept, never a message that might quote their data.
    Taken under a lease (ibsu/lib/leases.py): an export whose worker died is
    built again once its lease ran out, and only the worker holding it stores
    a file.
    """
    export = lease_take(
        DataExport.objects.select_related("member"),
        pk=export_id,
        waiting=[E.QUEUED],
        working=E.WORKING,
        lease=settings.DATA_EXPORT_LEASE,
    )
    if export is None:
        return None
    export.started_at, export.step = timezone.now(), ""
    lease_held_rows(export, E.WORKING).update(started_at=export.started_at, step="")

    def on_step(step: str) -> None:
        lease_held_rows(export, E.WORKING).update(step=step)

    try:
        with tempfile.TemporaryFile() as spool:
            with translation.override(export.language):
                write_export(spool, member=export.member, on_step=on_step)
            export.size, export.sha256 = _measure(spool)
            export.file.save("export.zip", File(spool), save=False)
    except Exception as error:
        lease_held_rows(export, E.WORKING).update(
            status=E.FAILED, error=type(error).__name__[:500], lease_expires_at=None
        )
        raise
    export.status, export.step, export.error = E.READY, "", ""
    export.ready_at, export.lease_expires_at = timezone.now(), None
    export.expires_at = export.ready_at + timedelta(
        hours=settings.DATA_EXPORT_RETENTION_HOURS
    )
    with transaction.atomic():
        if not lease_held(export, E.WORKING):
            # Another worker took it after our lease ran out: its file counts.
            export.file.delete(save=False)
            return None
        export.save()
        member_notify(
            member=export.member,
            template="data_export_ready",
            context={
                "export": export,
                "link": settings.SITE_URL + reverse("privacy:export"),
            },
        )
    return export


def _measure(spool) -> tuple[int, str]:
    spool.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := spool.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    spool.seek(0)
    return size, digest.hexdigest()


def data_export_open(*, export: DataExport, ip: str = ""):
    """The ready file, opened for the member, with the download in the audit trail.

    Raises FileNotFoundError when the file is gone (expired and cleaned up).
    """
    if not export.is_downloadable or not export.file:
        raise FileNotFoundError(export.pk)
    handle = export.file.open("rb")
    audit_record(
        action="privacy.export_downloaded",
        member=export.member,
        actor=export.member,
        data={"export": export.pk},
        ip=ip,
    )
    return handle


# --- Retention ---------------------------------------------------------------------

BATCH = 1000
Progress = Callable[[str, int], None]


def cleanup_run(
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Delete what is past retention; how many of each were (or would be) deleted.

    Rows go in batches of BATCH, each batch in its own transaction, so a long
    run holds no long locks and an interrupted one keeps what it did. A file is
    deleted before its row: an interruption leaves a row without a file, which
    the next run deletes, never a file nobody knows about. A second run finds
    nothing. With dry_run nothing is deleted: the counts are what would be.
    """
    now = now or timezone.now()
    report = progress or (lambda name, done: None)

    def days(setting: str) -> datetime:
        return now - timedelta(days=getattr(settings, setting))

    counts = {
        "sessions": _delete_rows(
            "sessions", Session.objects.filter(expire_date__lt=now), dry_run, report
        ),
        "captchas": _delete_rows(
            "captchas", CaptchaStore.objects.filter(expiration__lt=now), dry_run, report
        ),
        "outbox_messages": _delete_rows(
            "outbox_messages",
            OutboxMessage.objects.filter(
                sent_at__isnull=False, created_at__lt=days("OUTBOX_RETENTION_DAYS")
            ),
            dry_run,
            report,
        ),
        "login_events": _delete_rows(
            "login_events",
            LoginEvent.objects.filter(
                created_at__lt=days("LOGIN_EVENT_RETENTION_DAYS")
            ),
            dry_run,
            report,
        ),
    }
    files = 0
    for name, candidates in (
        ("claim_drafts", _abandoned_drafts(days("CLAIM_DRAFT_RETENTION_DAYS"))),
        ("data_exports", _expired_exports(now)),
        (
            "generated_documents",
            _superseded_documents(days("GENERATED_DOCUMENT_RETENTION_DAYS")),
        ),
    ):
        counts[name], removed = _delete_with_files(name, candidates, dry_run, report)
        files += removed
    counts["files"] = files
    if not dry_run and any(counts.values()):
        audit_record(action="privacy.cleanup", data=counts)
        logger.info("cleanup deleted %s", counts)
    return counts


def _delete_rows(name: str, queryset: QuerySet, dry_run: bool, report) -> int:
    if dry_run:
        return queryset.count()
    model, deleted = queryset.model, 0
    while ids := list(queryset.values_list("pk", flat=True)[:BATCH]):
        _total, per_model = model.objects.filter(pk__in=ids).delete()
        deleted += per_model.get(model._meta.label, 0)
        report(name, deleted)
    return deleted


class _Candidates(NamedTuple):
    """Rows to delete with their files."""

    ids: Callable[[], list[int]]  # which rows, chosen when the run starts
    still: QuerySet  # the rule again, checked on the locked rows
    files: Callable[[list[int]], list[str]]  # their files' names in storage
    # What shows these rows and must be invalidated with their deletion.
    shown: Callable[[list[int]], None] = lambda ids: None


def _delete_with_files(
    name: str, candidates: _Candidates, dry_run: bool, report
) -> tuple[int, int]:
    ids = candidates.ids()
    if dry_run:
        return len(ids), len(candidates.files(ids))
    storage = storages["private"]
    model = candidates.still.model
    deleted = removed = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            # Locked and checked again: a draft edited since it was picked stays.
            batch = list(
                candidates.still.select_for_update()
                .filter(pk__in=ids[start : start + BATCH])
                .values_list("pk", flat=True)
            )
            for file_name in candidates.files(batch):
                storage.delete(file_name)
                removed += 1
            candidates.shown(batch)
            _total, per_model = model.objects.filter(pk__in=batch).delete()
        deleted += per_model.get(model._meta.label, 0)
        report(name, deleted)
    return deleted, removed


def _abandoned_drafts(cutoff: datetime) -> _Candidates:
    """Drafts neither edited nor given a document since `cutoff`."""
    recent_upload = ClaimDocument.objects.filter(
        claim=OuterRef("pk"), uploaded_at__gte=cutoff
    )
    drafts = Claim.objects.filter(
        status=Claim.Status.DRAFT, updated_at__lt=cutoff
    ).exclude(Exists(recent_upload))

    def files(ids: list[int]) -> list[str]:
        names = ClaimDocument.objects.filter(claim_id__in=ids).values_list(
            "file", flat=True
        )
        return [name for name in names if name]

    return _Candidates(lambda: _pks(drafts), drafts, files)


def _expired_exports(now: datetime) -> _Candidates:
    """Ready exports past their download window; failed ones as old as that."""
    window = timedelta(hours=settings.DATA_EXPORT_RETENTION_HOURS)
    expired = DataExport.objects.filter(
        Q(status=E.READY, expires_at__lt=now)
        | Q(status=E.FAILED, created_at__lt=now - window)
    )
    return _Candidates(lambda: _pks(expired), expired, _file_names(DataExport))


def _superseded_documents(cutoff: datetime) -> _Candidates:
    """Documents older than `cutoff` with a newer ready one for the same member,
    kind and parameters (so the newest of each is always kept), and failed ones
    older than `cutoff` (they have no file).

    A document once superseded stays superseded, so the rule needs no second
    check under the lock.
    """

    def ids() -> list[int]:
        # The documents of members with anything old enough, newest first.
        # Parameters are compared here: JSON equality differs by database.
        members = GeneratedDocument.objects.filter(created_at__lt=cutoff).values(
            "member_id"
        )
        rows = (
            GeneratedDocument.objects.filter(member_id__in=members)
            .order_by("member_id", "kind", "-created_at", "-pk")
            .values_list("pk", "member_id", "kind", "params", "status", "created_at")
        )
        doomed: list[int] = []
        member, newer_ready = None, set()
        for pk, member_id, kind, params, status, created_at in rows.iterator(
            chunk_size=2000
        ):
            if member_id != member:
                member, newer_ready = member_id, set()
            group = (kind, json.dumps(params, sort_keys=True))
            if created_at < cutoff and (
                group in newer_ready or status == GeneratedDocument.Status.FAILED
            ):
                doomed.append(pk)
            if status == GeneratedDocument.Status.READY:
                newer_ready.add(group)
        return doomed

    def shown(ids: list[int]) -> None:
        members = GeneratedDocument.objects.filter(pk__in=ids).values_list(
            "member_id", flat=True
        )
        invalidate("documents", members)

    return _Candidates(
        ids, GeneratedDocument.objects.all(), _file_names(GeneratedDocument), shown
    )


def _pks(queryset: QuerySet) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _file_names(model) -> Callable[[list[int]], list[str]]:
    def files(ids: list[int]) -> list[str]:
        names = model.objects.filter(pk__in=ids).values_list("file", flat=True)
        return [name for name in names if name]

    return files
