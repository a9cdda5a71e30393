"""A claim's documents and timeline, cached between views of its page, laid
out in each language.

They change only when a document or event of the claim is added, changed or
removed, and each such change moves Claim.history_version in the same
transaction (the signals below). The page reads them under the version of the
claim row it has just loaded, so a stale copy is never read again.
Submitting a claim reads its documents from the database, never from here.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.translation import get_language

from claims.models import Claim, ClaimDocument, ClaimEvent
from ibsu.lib.cache_keys import code_fingerprint, row_key

TIMEOUT_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ClaimHistory:
    uploaded_kinds: frozenset[str]
    # HTML from the escaping template engine; it stays a SafeString through
    # the cache's pickling (any other serialiser would escape it again).
    documents_html: str
    timeline_html: str


def claim_history(claim: Claim) -> ClaimHistory:
    key = ":".join(
        (
            "claim-history",
            code_fingerprint(),
            row_key(claim.pk, claim.created_at),
            str(claim.history_version),
            get_language(),
        )
    )
    history = cache.get(key)
    if history is None:
        history = _history_from_database(claim)
        cache.set(key, history, TIMEOUT_SECONDS)
    return history


def _history_from_database(claim: Claim) -> ClaimHistory:
    documents = claim.documents.only("claim_id", "kind", "original_name", "size")
    events = claim.events.only("claim_id", "to_status", "note", "created_at")
    context = {"claim": claim, "documents": documents, "events": events}
    return ClaimHistory(
        uploaded_kinds=frozenset(document.kind for document in documents),
        documents_html=render_to_string("claims/_documents.html", context),
        timeline_html=render_to_string("claims/_timeline.html", context),
    )


def _history_changed(sender, instance, **kwargs) -> None:
    Claim.objects.filter(pk=instance.claim_id).update(
        history_version=F("history_version") + 1
    )


def connect_signals() -> None:
    for model in (ClaimDocument, ClaimEvent):
        post_save.connect(_history_changed, sender=model)
        post_delete.connect(_history_changed, sender=model)
