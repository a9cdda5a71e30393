"""Mail leaves through the real chain: outbox row → Redis → Celery worker → SMTP.

The login page locks an account after five failures and queues the lock email;
these tests follow that email through each real piece, with and without an
outage of the broker or of the SMTP server.
"""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import email_queue
from outbox.tasks import requeue_stuck_messages
from tests.conftest import post_login

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

GENERIC_FAILURE = "The member number/email or password is not correct."
SEND = "outbox.tasks.send_outbox_message"
REQUEUE = "outbox.tasks.requeue_stuck_messages"


def fail_login(client, member):
    """One wrong password on the real login page, answered like any other."""
    response = post_login(client, member.kpj_number, "not the password at all")
    assert response.status_code == 200
    assert GENERIC_FAILURE in response.content.decode()


def lock_out(client, member):
    for _ in range(5):
        fail_login(client, member)
    member.refresh_from_db()
    assert member.is_locked


def test_lockout_email_leaves_through_the_celery_worker(
    client, member, celery, redis_url, mailbox
):
    celery.use_broker(redis_url)

    lock_out(client, member)

    # Queued in Redis, not run in the request: nothing is sent until a worker runs.
    assert celery.queued() == 1
    assert OutboxMessage.objects.get().sent_at is None
    celery.start_worker()
    celery.wait_for_runs(SEND, "SUCCESS")
    assert celery.queued() == 0
    message = OutboxMessage.objects.get()
    assert message.template == "account_locked"
    assert message.sent_at is not None
    assert message.attempts == 1
    assert mailbox.recipients == [["siti@example.com"]]
    received = mailbox.messages[0]
    assert received["To"] == "siti@example.com"
    assert received["Subject"] == message.subject
    assert "locked" in message.subject


def test_broker_outage_delays_mail_but_loses_none(
    client, member, other_member, celery, throwaway_redis, mailbox, settings
):
    settings.OUTBOX_STUCK_AFTER = timedelta(0)
    celery.use_broker(throwaway_redis.url)
    # Before the outage the portal is sending mail: this message's task is in
    # Redis (and dies with it), and the web process holds a live broker connection.
    with transaction.atomic():
        email_queue(
            to=other_member.email,
            template="account_unlocked",
            context={"member": other_member, "when": timezone.now()},
            language="en",
        )
    for _ in range(4):
        fail_login(client, member)

    throwaway_redis.kill()
    started = time.monotonic()
    fail_login(client, member)
    elapsed = time.monotonic() - started

    assert elapsed < 5, f"the login waited {elapsed:.1f} s for the dead broker"
    member.refresh_from_db()
    assert member.is_locked
    lock_email = OutboxMessage.objects.get(template="account_locked")
    assert lock_email.sent_at is None
    assert lock_email.attempts == 0
    assert len(mailbox) == 0

    # Redis is back, empty; a worker starts; beat's re-queue task runs.
    throwaway_redis.start()
    celery.start_worker()
    requeue_stuck_messages.delay()

    celery.wait_for_runs(SEND, "SUCCESS", count=2)
    assert [run.retval for run in celery.runs(REQUEUE)] == [2]  # both re-queued
    assert sorted(mailbox.recipients) == [["budi@example.com"], ["siti@example.com"]]
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()

    # The next beat run finds nothing left to send: each email went out once.
    requeue_stuck_messages.delay()
    celery.wait_for_runs(REQUEUE, "SUCCESS", count=2)
    assert [run.retval for run in celery.runs(REQUEUE)] == [2, 0]
    assert len(celery.runs(SEND)) == 2
    assert len(mailbox) == 2


def test_smtp_outage_is_retried_until_the_server_is_back(
    client, member, celery, redis_url, start_smtp
):
    celery.use_broker(redis_url)

    lock_out(client, member)  # every request answered normally: nothing failed

    celery.start_worker()
    celery.wait_for_runs(SEND, "RETRY")
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error

    mailbox = start_smtp()  # on the port the first attempt found closed

    celery.wait_for_runs(SEND, "SUCCESS")
    assert mailbox.recipients == [["siti@example.com"]]
    assert mailbox.messages[0]["Subject"] == message.subject
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts >= 2
    assert message.last_error == ""
    assert len(celery.runs(SEND, "SUCCESS")) == 1
