"""A password reset by email, through the real chain and back to the portal.

The reset page writes the email to the outbox; a Celery worker on Redis sends it
over SMTP to aiosmtpd; the link is read out of the message the server received
and opened with the test client, as a member would open it from their mailbox.

On SQLite the worker thread and the test share one in-memory database, which
refuses at once ("database table is locked") a write while another connection
writes. So the tests wait for tasks without querying the database, and start a
request only while no task runs.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from tests.conftest import captcha_from_page, post_login

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SEND = "outbox.tasks.send_outbox_message"
NEW_PASSWORD = "violet harbour lantern drifting"
RESET_SUBJECT = "Reset your BPJS Ketenagakerjaan password"
RESET_DONE_SUBJECT = "Your password was reset"
UNLOCKED_SUBJECT = "Your BPJS Ketenagakerjaan account has been unlocked"
URL = re.compile(r"https?://\S+")


def request_reset(client, email):
    """Load the reset page as a browser would and submit it, CAPTCHA answered."""
    url = reverse("accounts:password_reset")
    key, answer = captcha_from_page(client.get(url).content.decode())
    return client.post(url, {"email": email, "captcha_0": key, "captcha_1": answer})


def assert_redirects_to_done(response):
    assert response.status_code == 302, response.content.decode()[:500]
    assert response.url == reverse("accounts:password_reset_done")


def reset_link_path(message) -> str:
    """The reset link's path, from the text/plain part of the received message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None, message.as_string()
    prefix = reverse("accounts:password_reset")
    links = [urlsplit(url) for url in URL.findall(text.get_content())]
    (link,) = [link for link in links if link.path.startswith(prefix)]
    assert (link.scheme, link.netloc) == ("http", "testserver")  # SITE_URL
    assert resolve(link.path).url_name == "password_reset_confirm"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'href="{link.geturl()}"' in html  # the same link in the HTML part
    return link.path


def set_new_password(client, path):
    """Open the emailed link (Django moves on to a set-password URL) and use it."""
    page = client.get(path, follow=True)
    assert page.status_code == 200
    assert page.redirect_chain, "the link did not lead to a set-password URL"
    set_password_url = page.redirect_chain[-1][0]
    assert 'name="new_password1"' in page.content.decode()
    return client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


def assert_password_set(response):
    assert response.status_code == 302, response.content.decode()[:500]
    assert response.url == reverse("accounts:password_reset_complete")


def subjects(mailbox) -> list[str]:
    return [message["Subject"] for message in mailbox.messages]


def test_member_resets_password_from_the_received_email(
    client, member, celery, redis_url, mailbox
):
    member.locked_at = timezone.now()
    member.failed_login_count = 5
    member.save(update_fields=["locked_at", "failed_login_count"])
    celery.use_broker(redis_url)

    assert_redirects_to_done(request_reset(client, member.email))

    assert celery.queued() == 1  # the request only queued the email
    celery.start_worker()
    celery.wait_for_runs(SEND, "SUCCESS")
    assert mailbox.recipients == [["siti@example.com"]]
    (received,) = mailbox.messages
    assert received["To"] == "siti@example.com"
    assert received["Subject"] == RESET_SUBJECT
    path = reset_link_path(received)

    assert_password_set(set_new_password(client, path))

    # Setting the password queued two notices: the unlock and the reset itself.
    celery.wait_for_runs(SEND, "SUCCESS", count=3)
    notices = sorted(subjects(mailbox)[1:])
    assert notices == sorted([RESET_DONE_SUBJECT, UNLOCKED_SUBJECT])
    assert mailbox.recipients[1:] == [["siti@example.com"]] * 2
    member.refresh_from_db()
    assert member.locked_at is None
    assert member.failed_login_count == 0
    assert post_login(Client(), member.kpj_number, NEW_PASSWORD).status_code == 302
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_reset_request_survives_an_smtp_outage(
    client, member, celery, redis_url, start_smtp
):
    celery.use_broker(redis_url)  # start_smtp: mail goes to a port still closed

    started = time.monotonic()
    response = request_reset(client, member.email)
    elapsed = time.monotonic() - started

    assert_redirects_to_done(response)
    assert elapsed < 2, f"the reset request took {elapsed:.1f} s"
    celery.start_worker()
    celery.wait_for_runs(SEND, "RETRY")
    message = OutboxMessage.objects.get()
    assert message.template == "password_reset"
    assert message.sent_at is None
    assert message.attempts >= 1
    assert "ConnectionRefusedError" in message.last_error

    mailbox = start_smtp()  # on the port the first attempt found closed

    celery.wait_for_runs(SEND, "SUCCESS")
    assert mailbox.recipients == [["siti@example.com"]]
    assert subjects(mailbox) == [RESET_SUBJECT]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts >= 2
    assert message.last_error == ""
    assert len(celery.runs(SEND, "SUCCESS")) == 1

    assert_password_set(set_new_password(client, reset_link_path(mailbox.messages[0])))

    celery.wait_for_runs(SEND, "SUCCESS", count=2)
    assert subjects(mailbox) == [RESET_SUBJECT, RESET_DONE_SUBJECT]
    assert post_login(Client(), member.kpj_number, NEW_PASSWORD).status_code == 302
