"""The member's requested documents as list items: marked up in Python and
cached between views of the list.

Through the template language each item cost about 100 µs (a date in the
member's language, a URL, two labels): most of the page's time with a few dozen
documents (make bench). Every value is escaped here. The cached list is keyed
by Member.documents_version, which moves in the same transaction as every
change to the member's documents (the signals below, and documents_changed()
for writes that bypass them), so a stale list is never read again.
"""

from dataclasses import dataclass
from html import escape

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Member
from documents.models import GeneratedDocument
from ibsu.lib.cache_keys import code_fingerprint, row_key

Status = GeneratedDocument.Status
# A document id no real one can be mistaken for, replaced in the reversed URL.
PK_SLOT = 987654321987654321
SHOWN = 50  # the latest ones: older documents can be requested again
TIMEOUT_SECONDS = 24 * 3600
LEASE_FIELDS = ("attempts", "lease_expires_at")


@dataclass(frozen=True)
class DocumentList:
    # HTML with every value escaped; a SafeString through the cache's pickling.
    items_html: str
    pending: bool  # one is still being made: the page refreshes itself


def member_documents(member: Member) -> DocumentList:
    """The member's latest documents, in the active language."""
    key = ":".join(
        (
            "documents-list",
            code_fingerprint(),
            row_key(member.pk, member.date_joined),
            str(member.documents_version),
            get_language(),
        )
    )
    listing = cache.get(key)
    if listing is None:
        documents = GeneratedDocument.objects.filter(member=member).only(
            "kind", "params", "status", "code", "created_at", *LEASE_FIELDS
        )[:SHOWN]
        listing = DocumentList(
            items_html=document_items(documents),
            pending=any(document.is_pending for document in documents),
        )
        cache.set(key, listing, _seconds_until_changed(documents))
    return listing


def _seconds_until_changed(documents) -> int:
    """Until a render's lease runs out: then it shows as retrying, though no
    write has moved the member's documents version."""
    now = timezone.now()
    leases = [
        (document.lease_expires_at - now).total_seconds()
        for document in documents
        if document.status == Status.RENDERING and document.lease_expires_at
    ]
    return max(1, min([TIMEOUT_SECONDS, *(int(left) + 1 for left in leases)]))


def documents_changed(member_id: int) -> None:
    """The member's cached list is stale (call in the writing transaction)."""
    Member.objects.filter(pk=member_id).update(
        documents_version=F("documents_version") + 1
    )


def _document_changed(sender, instance, **kwargs) -> None:
    documents_changed(instance.member_id)


def connect_signals() -> None:
    post_save.connect(_document_changed, sender=GeneratedDocument)
    post_delete.connect(_document_changed, sender=GeneratedDocument)


def document_items(documents) -> SafeString:
    words = {
        "kinds": dict(GeneratedDocument.Kind.choices),
        "statuses": dict(Status.choices),
        "retrying": _("Retrying"),
        "download": _("Download PDF"),
        "request_again": _("Please request it again."),
        # One reversal for the page, not one per document.
        "download_url": reverse("documents:download", args=[PK_SLOT]),
    }
    return mark_safe(  # noqa: S308 -- every value is escaped  # nosec B308 B703
        "\n".join(_item(document, **words) for document in documents)
    )


def _item(
    document, *, kinds, statuses, retrying, download, request_again, download_url
) -> str:
    kind = escape(str(kinds.get(document.kind, document.kind)))
    created = date_format(timezone.localtime(document.created_at), "DATETIME_FORMAT")
    status = escape(document.status)
    label = escape(
        str(retrying if document.is_retrying else statuses.get(status, status))
    )
    if document.status == Status.READY:
        url = escape(download_url.replace(str(PK_SLOT), str(document.pk)))
        ending = (
            f' · <a href="{url}">{escape(download)}</a>'
            f' · <span class="mono">{escape(document.display_code)}</span>'
        )
    elif document.status == Status.FAILED:
        ending = f" · {escape(request_again)}"
    else:
        ending = ""
    return (
        f"<li><strong>{kind}</strong>{escape(_years(document.params))}"
        f' · {escape(created)} · <span class="status status-{status}">{label}</span>'
        f"{ending}</li>"
    )


def _years(params: dict) -> str:
    if params.get("year_from"):
        return f" {params['year_from']}–{params['year_to']}"
    if params.get("year"):
        return f" {params['year']}"
    return ""
