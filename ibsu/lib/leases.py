"""Leases on background work: no row stays "in progress" after its worker died.

The rule, for every task with an in-progress state (documents being rendered,
data exports being built):

- A worker takes a row in one locked update: working status, `attempts + 1`,
  `lease_expires_at = now + lease`.
- A row whose lease ran out is taken again by the next task asked to work on
  it: the re-queue beat task (every minute) or the member asking again. After
  MAX_ATTEMPTS lost workers the row is marked failed, so a document that kills
  every worker does not loop forever.
- The worker's final write is fenced by the attempt number it took. If another
  worker took the row meanwhile, the late result is thrown away (file
  included): each row is finished once and keeps one file.

Why a stale-after lease rather than a heartbeat: a PDF is rendered in one
blocking call into WeasyPrint that nothing could interrupt to beat. Instead
every leased task has Celery time limits inside its lease (`time_limits`), so a
live worker is stopped before its lease runs out and is never mistaken for a
dead one.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Workers lost on one row before it is marked failed instead of taken again.
MAX_ATTEMPTS = 3
WORKER_LOST = "WorkerLost: the worker stopped before finishing"


class LeasedWork(models.Model):
    """A row a Celery worker works on; the model defines `status`."""

    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, editable=False
    )
    lease_expires_at = models.DateTimeField(
        _("worker's lease ends"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_retrying(self) -> bool:
        """Pending after a worker was lost: the member sees "retrying"."""
        if not self.is_pending:
            return False
        return self.attempts > 1 or (
            self.lease_expires_at is not None
            and self.lease_expires_at <= timezone.now()
        )


def time_limits(lease: timedelta) -> dict[str, float]:
    """Celery limits for a leased task: it stops itself (soft) and is killed
    (hard) before its lease runs out."""
    seconds = lease.total_seconds()
    return {"soft_time_limit": seconds * 0.8, "time_limit": seconds * 0.9}


def lease_lost(working: str) -> Q:
    """Rows in the working status whose worker's lease ran out (or that were
    taken before leases existed)."""
    return Q(status=working) & (
        Q(lease_expires_at__lte=timezone.now()) | Q(lease_expires_at__isnull=True)
    )


def lease_take(
    queryset: QuerySet,
    *,
    pk: int,
    waiting: list[str],
    working: str,
    lease: timedelta,
    changed: Callable | None = None,
):
    """Lock the row and take it for this worker, or None when it is not free:
    finished, held under a live lease, locked by another worker right now, or
    given up after MAX_ATTEMPTS. `changed(row)` runs in the same transaction
    when its status changed (what shows it must be invalidated)."""
    now = timezone.now()
    free = Q(status__in=waiting) | (lease_lost(working) & Q(attempts__lt=MAX_ATTEMPTS))
    with transaction.atomic():
        row = queryset.select_for_update(skip_locked=True).filter(free, pk=pk).first()
        if row is None:
            return None
        row.status, row.attempts = working, row.attempts + 1
        row.lease_expires_at = now + lease
        row.save(update_fields=["status", "attempts", "lease_expires_at"])
        if changed:
            changed(row)
    return row


def lease_held(row, working: str) -> bool:
    """Whether this worker still holds its row; locks it for the final write
    (call inside the transaction that writes the result)."""
    return (
        type(row)
        ._default_manager.select_for_update()
        .filter(pk=row.pk, status=working, attempts=row.attempts)
        .exists()
    )


def lease_held_rows(row, working: str) -> QuerySet:
    """The row, if this worker still holds it: for fenced progress updates."""
    return type(row)._default_manager.filter(
        pk=row.pk, status=working, attempts=row.attempts
    )


def leases_requeue(
    model,
    *,
    queued: str,
    working: str,
    failed: str,
    queued_before,
    enqueue,
    changed: Callable | None = None,
) -> int:
    """Queue again rows left waiting since `queued_before` (a broker outage) or
    whose worker's lease ran out; fail those that lost MAX_ATTEMPTS workers
    (`changed(row)` for each, as in lease_take). Returns how many were queued."""
    manager = model._default_manager
    lost = lease_lost(working)
    for row in manager.filter(lost, attempts__gte=MAX_ATTEMPTS)[:500]:
        row.status, row.error, row.lease_expires_at = failed, WORKER_LOST, None
        with transaction.atomic():
            row.save(update_fields=["status", "error", "lease_expires_at"])
            if changed:
                changed(row)
    ids = list(
        manager.filter(
            Q(status=queued, created_at__lt=queued_before) | lost
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        enqueue(pk)
    return len(ids)


def needs_requeue(row, *, queued: str, working: str, queued_before) -> bool:
    """A pending row the member asked for again that no worker will pick up."""
    if row.status == queued:
        return row.created_at < queued_before
    return row.status == working and not (
        row.lease_expires_at and row.lease_expires_at > timezone.now()
    )
