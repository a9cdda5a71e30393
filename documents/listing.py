"""The member's requested documents as list items: marked up in Python and
cached between views of the list.

Through the template language each item cost about 100 µs (a date in the
member's language, a URL, two labels): most of the page's time with a few dozen
documents (make bench). Every value is escaped here. The cached list is keyed
by the member's "documents" version (ibsu.lib.page_cache), moved in the same
transaction as every change to the member's documents (the signals below, and
documents_changed() for writes that bypass them).
"""

from dataclasses import dataclass
from html import escape

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import Member
from documents.models import GeneratedDocument
from ibsu.lib.page_cache import cached, invalidate

Status = GeneratedDocument.Status
# A document id no real one can be mistaken for, replaced in the reversed URL.
PK_SLOT = 987654321987654321
SHOWN = 50  # the latest ones: older documents can be requested again


@dataclass(frozen=True)
class DocumentList:
    # HTML with every value escaped; a SafeString through the cache's pickling.
    items_html: str
    pending: bool  # one is still being made: the page refreshes itself


def member_documents(member: Member) -> DocumentList:
    """The member's latest documents, in the active language."""
    return cached("documents", member, "list", lambda: _listing(member))


def _listing(member: Member) -> DocumentList:
    documents = GeneratedDocument.objects.filter(member=member).only(
        "kind", "params", "status", "code", "created_at"
    )[:SHOWN]
    return DocumentList(
        items_html=document_items(documents),
        pending=any(document.is_pending for document in documents),
    )


def documents_changed(member_id: int) -> None:
    """The member's kept list is stale (call in the writing transaction)."""
    invalidate("documents", [member_id])


def _document_changed(sender, instance, **kwargs) -> None:
    documents_changed(instance.member_id)


def connect_signals() -> None:
    post_save.connect(_document_changed, sender=GeneratedDocument)
    post_delete.connect(_document_changed, sender=GeneratedDocument)


def document_items(documents) -> SafeString:
    words = {
        "kinds": dict(GeneratedDocument.Kind.choices),
        "statuses": dict(Status.choices),
        "download": _("Download PDF"),
        "request_again": _("Please request it again."),
        # One reversal for the page, not one per document.
        "download_url": reverse("documents:download", args=[PK_SLOT]),
    }
    return mark_safe(  # noqa: S308 -- every value is escaped  # nosec B308 B703
        "\n".join(_item(document, **words) for document in documents)
    )


def _item(document, *, kinds, statuses, download, request_again, download_url) -> str:
    kind = escape(str(kinds.get(document.kind, document.kind)))
    created = date_format(timezone.localtime(document.created_at), "DATETIME_FORMAT")
    status = escape(document.status)
    label = escape(str(statuses.get(document.status, document.status)))
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
