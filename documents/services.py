"""Requesting and rendering official PDFs. Rendering never happens in a request."""

import hashlib

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.notify import member_notify
from audit.services import audit_record
from documents.content import BUILDERS, fingerprint
from documents.models import GeneratedDocument
from ibsu.lib.leases import lease_held, lease_take, leases_requeue, needs_requeue
from ibsu.lib.page_cache import invalidate

D = GeneratedDocument.Status


def _data(*, member, kind: str, params: dict, language: str) -> dict:
    with translation.override(language):
        return BUILDERS[kind](member=member, today=timezone.localdate(), **params)


@transaction.atomic
def document_request(
    *, member, kind: str, params: dict, language: str, notify: bool = False
) -> GeneratedDocument:
    """The document for these data: the stored file if nothing changed, else new.

    An older version stays stored and verifiable; the new one is queued for the
    worker after commit.
    """
    data_hash = fingerprint(
        _data(member=member, kind=kind, params=params, language=language)
    )
    existing = (
        GeneratedDocument.objects.filter(
            member=member,
            kind=kind,
            params=params,
            language=language,
            data_hash=data_hash,
        )
        .exclude(status=D.FAILED)
        .first()
    )
    if existing:
        if needs_requeue(existing, **_STATES, queued_before=_queued_before()):
            transaction.on_commit(lambda: _enqueue(existing.pk))
        if notify and not existing.notify_when_ready:
            existing.notify_when_ready = True
            existing.save(update_fields=["notify_when_ready"])
            if existing.status == D.READY:
                _notify_ready(existing)
        return existing
    document = GeneratedDocument.objects.create(
        member=member,
        kind=kind,
        params=params,
        language=language,
        data_hash=data_hash,
        notify_when_ready=notify,
    )
    _list_changed(document)
    audit_record(
        action="document.requested",
        member=member,
        actor=member,
        data={"kind": kind, "params": params},
    )
    transaction.on_commit(lambda: _enqueue(document.pk))
    return document


def _enqueue(document_id: int) -> None:
    from documents.tasks import render_document

    try:
        render_document.delay(document_id)
    except Exception:  # broker down: the beat task picks it up later
        return


_STATES = {"queued": D.QUEUED, "working": D.RENDERING}


def _queued_before():
    return timezone.now() - settings.OUTBOX_STUCK_AFTER


def document_render(*, document_id: int) -> GeneratedDocument | None:
    """Render a queued document to PDF and store it. Safe to call twice.

    Takes the row under a lease (ibsu/lib/leases.py): a document whose worker
    died is rendered again once its lease ran out, and only the worker that
    holds the row stores a file.
    """
    document = lease_take(
        GeneratedDocument.objects.select_related("member"),
        pk=document_id,
        waiting=[D.QUEUED, D.FAILED],  # FAILED: Celery's retries of this task
        working=D.RENDERING,
        lease=settings.DOCUMENT_RENDER_LEASE,
        changed=_list_changed,
    )
    if document is None:
        return None
    try:
        data = _data(
            member=document.member,
            kind=document.kind,
            params=document.params,
            language=document.language,
        )
        pdf = render_pdf(document, data)
    except Exception as error:
        with transaction.atomic():
            if lease_held(document, D.RENDERING):
                GeneratedDocument.objects.filter(pk=document.pk).update(
                    status=D.FAILED,
                    error=f"{type(error).__name__}: {error}"[:500],
                    lease_expires_at=None,
                )
                _list_changed(document)
        raise
    document.data_hash = fingerprint(data)
    document.sha256 = hashlib.sha256(pdf).hexdigest()
    document.file.save("document.pdf", ContentFile(pdf), save=False)
    document.status, document.ready_at, document.error = D.READY, timezone.now(), ""
    document.lease_expires_at = None
    with transaction.atomic():
        if not lease_held(document, D.RENDERING):
            # Another worker took it after our lease ran out: its file counts.
            document.file.delete(save=False)
            return None
        document.save()
        _list_changed(document)
        if document.notify_when_ready:
            _notify_ready(document)
    return document


def _notify_ready(document: GeneratedDocument) -> None:
    """Tell the member once that a document made for them is ready."""
    updated = GeneratedDocument.objects.filter(
        pk=document.pk, notified_at__isnull=True
    ).update(notified_at=timezone.now())
    if updated:
        member_notify(
            member=document.member,
            template="document_ready",
            context={
                "document": document,
                "link": settings.SITE_URL + reverse("documents:list"),
            },
        )


def verify_url(document: GeneratedDocument) -> str:
    return settings.SITE_URL + reverse(
        "documents:verify", kwargs={"code": document.code}
    )


def render_pdf(document: GeneratedDocument, data: dict) -> bytes:
    """HTML template to PDF with WeasyPrint, in the document's language."""
    import weasyprint  # heavy: loaded by the worker only when it renders

    from documents.fetcher import StaticOnlyFetcher, pdf_base_url

    url = verify_url(document)
    context = {
        **data,
        "document": document,
        "issued_at": timezone.now(),
        "verify_url": url,
        "qr_svg": segno.make(url, error="m").svg_inline(scale=3, omitsize=True),
    }
    with translation.override(document.language):
        html = render_to_string(f"documents/pdf/{document.kind}.html", context)
    return weasyprint.HTML(
        string=html, base_url=pdf_base_url(), url_fetcher=StaticOnlyFetcher()
    ).write_pdf()


def documents_requeue_stuck() -> int:
    """Queue again documents still waiting after a broker outage, and those
    whose worker died mid-render (lease run out). Beat, every minute."""
    return leases_requeue(
        GeneratedDocument,
        **_STATES,
        failed=D.FAILED,
        queued_before=_queued_before(),
        enqueue=_enqueue,
        changed=_list_changed,
    )


def _list_changed(document: GeneratedDocument) -> None:
    """The member's list of documents shows this change (documents.listing)."""
    invalidate("documents", [document.member_id])
