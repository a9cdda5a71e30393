"""A claim's documents and timeline, kept between views of its page as page
parts (ibsu.lib.page_cache), laid out in each language.

They change only when a document or event of the claim is added or removed:
claims.services invalidates the claim's parts in that transaction. Submitting
a claim reads its documents from the database, never from here.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from claims.models import Claim
from ibsu.lib.page_cache import cached


@dataclass(frozen=True)
class ClaimHistory:
    uploaded_kinds: frozenset[str]
    # HTML from the escaping template engine; it stays a SafeString through
    # the cache's pickling (any other serialiser would escape it again).
    documents_html: str
    timeline_html: str


def claim_history(claim: Claim) -> ClaimHistory:
    return cached("claim", claim, "history", lambda: _history_from_database(claim))


def _history_from_database(claim: Claim) -> ClaimHistory:
    documents = claim.documents.only("claim_id", "kind", "original_name", "size")
    events = claim.events.only("claim_id", "to_status", "note", "created_at")
    context = {"claim": claim, "documents": documents, "events": events}
    return ClaimHistory(
        uploaded_kinds=frozenset(document.kind for document in documents),
        documents_html=render_to_string("claims/_documents.html", context),
        timeline_html=render_to_string("claims/_timeline.html", context),
    )
