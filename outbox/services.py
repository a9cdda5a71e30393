import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from outbox.models import OutboxMessage

logger = logging.getLogger(__name__)


def email_queue(
    *, to: str, template: str, context: Mapping[str, Any], language: str
) -> OutboxMessage:
    """Write an email to the outbox and send it once the transaction commits.

    `template` names two files under templates/emails/: <template>_subject.txt
    and <template>_body.txt, rendered now in `language` so the stored message is
    exactly what the member will read. The HTML part is the same text in the
    shared layout (emails/_layout.html), so each message is written only once.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        subject = " ".join(subject.split())
        body_text = render_to_string(f"emails/{template}_body.txt", context).strip()
        body_html = render_to_string(
            "emails/_layout.html", {"subject": subject, "body": body_text}
        )
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        template=template,
    )
    transaction.on_commit(lambda: outbox_enqueue(message_id=message.pk))
    return message


def outbox_enqueue(*, message_id: int) -> bool:
    """Hand a message to the broker; on a broker outage leave it for the beat task."""
    from outbox.tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except Exception:  # kombu raises several types; none may fail the request
        logger.warning("broker unavailable, message %s left for re-queue", message_id)
        return False
    return True


class OutboxSendError(Exception):
    """SMTP refused or could not be reached; the attempt is recorded on the row."""


def outbox_send(*, message_id: int) -> bool:
    """Send one message over SMTP unless it was already sent. True when it left now.

    The row stays locked while it is sent, so two workers holding the same
    message (a retry and a re-queue) cannot both send it. A failed attempt is
    committed with its error before OutboxSendError is raised for the retry.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            email.send()
        except Exception as exc:  # smtplib and socket errors alike
            message.last_error = f"{type(exc).__name__}: {exc}"[:500]
        else:
            message.last_error = ""
            message.sent_at = timezone.now()
            if message.carries_secret:
                message.body_text = message.body_html = ""
        message.attempts += 1
        message.last_attempt_at = timezone.now()
        message.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_error",
                "sent_at",
                "body_text",
                "body_html",
            ]
        )
    if message.sent_at is None:
        raise OutboxSendError(message.last_error)
    return True


def outbox_requeue_stuck() -> int:
    """Queue again every message unsent for longer than OUTBOX_STUCK_AFTER."""
    cutoff = timezone.now() - settings.OUTBOX_STUCK_AFTER
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:1000]
    )
    queued = sum(outbox_enqueue(message_id=pk) for pk in ids)
    if ids:
        logger.info("re-queued %s of %s unsent messages", queued, len(ids))
    return queued
