from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import (
    OutboxSendError,
    email_queue,
    outbox_requeue_stuck,
    outbox_send,
)
from outbox.tasks import retry_delay
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _queue(member, language="en"):
    return email_queue(
        to=member.email,
        template="account_unlocked",
        context={"member": member, "when": timezone.now()},
        language=language,
    )


def test_message_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    member = MemberFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _queue(member)
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1
    assert mail.outbox[0].alternatives[0][1] == "text/html"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_no_mail():
    member = MemberFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(member)
        raise RuntimeError("the change failed")

    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_message_is_written_in_the_members_language(django_capture_on_commit_callbacks):
    member = MemberFactory(full_name="Siti Rahayu")

    with django_capture_on_commit_callbacks(execute=True):
        _queue(member, language="id")

    assert (
        mail.outbox[0].subject == "Akun BPJS Ketenagakerjaan Anda telah dibuka kembali"
    )
    assert "Yth. Siti Rahayu" in mail.outbox[0].body


def test_failed_smtp_attempt_is_recorded_then_raised(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    message = _queue(MemberFactory())

    with pytest.raises(OutboxSendError):
        outbox_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "Connection refused" in message.last_error or "Error" in message.last_error


def test_sent_message_is_never_sent_twice():
    message = _queue(MemberFactory())

    assert outbox_send(message_id=message.pk) is True
    assert outbox_send(message_id=message.pk) is False
    assert len(mail.outbox) == 1


def test_requeue_sends_only_old_unsent_messages(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    member = MemberFactory()
    old = _queue(member)
    fresh = _queue(member)
    OutboxMessage.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - settings.OUTBOX_STUCK_AFTER - timedelta(seconds=1)
    )

    assert outbox_requeue_stuck() == 1

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.sent_at is not None
    assert fresh.sent_at is None


def test_retry_delay_doubles_up_to_the_maximum(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 30, 3600

    assert [retry_delay(n) for n in range(8)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
    ]
