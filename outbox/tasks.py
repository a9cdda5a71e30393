from celery import shared_task
from django.conf import settings

from outbox.services import OutboxSendError, outbox_requeue_stuck, outbox_send


def retry_delay(retries: int) -> int:
    """Exponential back-off: base, 2×base, 4×base … capped at the maximum."""
    return min(
        settings.OUTBOX_RETRY_BASE_SECONDS * 2**retries,
        settings.OUTBOX_RETRY_MAX_SECONDS,
    )


@shared_task(bind=True, max_retries=None)
def send_outbox_message(self, message_id: int) -> bool:
    try:
        return outbox_send(message_id=message_id)
    except OutboxSendError as exc:
        if self.request.retries >= settings.OUTBOX_MAX_TASK_RETRIES:
            # Give up this chain; the row is still unsent and beat queues it again.
            return False
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc


@shared_task
def requeue_stuck_messages() -> int:
    return outbox_requeue_stuck()
