"""The member's requested documents, kept between views of the list as a page
part (ibsu.lib.page_cache), laid out by templates/documents/_items.html.

documents.services invalidates the member's part in the transaction of every
change to their documents. One change needs no write: a render whose lease
runs out shows as retrying, so the part is kept no longer than that.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Member
from documents.models import GeneratedDocument
from ibsu.lib.page_cache import cached

Status = GeneratedDocument.Status
SHOWN = 50  # the latest ones: older documents can be requested again


@dataclass(frozen=True)
class DocumentList:
    # HTML from the escaping template engine: a SafeString through pickling.
    items_html: str
    pending: bool  # one is still being made: the page refreshes itself
    lease_ends: float | None  # when a render's lease runs out (a timestamp)


def member_documents(member: Member) -> DocumentList:
    """The member's latest documents, in the active language."""
    return cached(
        "documents", member, "list", lambda: _listing(member), lifetime=_lifetime
    )


def _listing(member: Member) -> DocumentList:
    documents = list(
        GeneratedDocument.objects.filter(member=member).only(
            "kind",
            "params",
            "status",
            "code",
            "created_at",
            "attempts",
            "lease_expires_at",
        )[:SHOWN]
    )
    leases = [
        document.lease_expires_at.timestamp()
        for document in documents
        if document.status == Status.RENDERING and document.lease_expires_at
    ]
    return DocumentList(
        items_html=render_to_string("documents/_items.html", {"documents": documents})
        if documents
        else "",
        pending=any(document.is_pending for document in documents),
        lease_ends=min(leases, default=None),
    )


def _lifetime(listing: DocumentList) -> int | None:
    if listing.lease_ends is None:
        return None
    return max(1, int(listing.lease_ends - timezone.now().timestamp()) + 1)
