"""Session lifetime, new sign-in notices and session cookie flags."""

import html
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.conftest import post_login

pytestmark = pytest.mark.django_db

NEW_SIGN_IN = "New sign-in to your BPJS Ketenagakerjaan account"
FIREFOX = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
)
START = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)


def is_signed_in(client) -> bool:
    response = client.get(reverse("dashboard"))
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    return False


def sign_in(client, member, password, capture, **extra):
    """Sign in through the login page, sending any email it queues."""
    with capture(execute=True):
        response = post_login(client, member.kpj_number, password, **extra)
    assert response.status_code == 302
    return response


def sign_out(client):
    client.post(reverse("accounts:logout"))


def new_sign_in_mails() -> list:
    return [message for message in mail.outbox if message.subject == NEW_SIGN_IN]


# --- Lifetime -----------------------------------------------------------------


def test_session_ends_after_15_minutes_without_requests(client, login, member):
    with time_machine.travel(START, tick=False) as traveller:
        login(member)

        traveller.shift(timedelta(minutes=14))
        assert is_signed_in(client)
        traveller.shift(timedelta(minutes=14))
        assert is_signed_in(client), "each request restarts the idle timeout"

        traveller.shift(timedelta(minutes=16))
        assert not is_signed_in(client)


def test_session_ends_after_12_hours_however_active(client, login, member):
    with time_machine.travel(START, tick=False) as traveller:
        login(member)

        for _ in range(71):  # one request every 10 minutes up to 11 h 50 min
            traveller.shift(timedelta(minutes=10))
            assert is_signed_in(client)
        traveller.shift(timedelta(minutes=11))  # 12 h 1 min after sign-in
        response = client.get(reverse("dashboard"), follow=True)

        assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
        assert "Your session has ended. Please sign in again." in html.unescape(
            response.content.decode()
        )
        assert "_auth_user_id" not in client.session
        assert not is_signed_in(client)


def test_signing_in_again_starts_a_new_12_hours(client, login, member):
    with time_machine.travel(START, tick=False) as traveller:
        login(member)
        for _ in range(71):  # up to 11 h 50 min
            traveller.shift(timedelta(minutes=10))
            client.get(reverse("dashboard"))
        sign_out(client)
        login(member)

        for _ in range(3):  # on to 12 h 20 min after the first sign-in
            traveller.shift(timedelta(minutes=10))
            assert is_signed_in(client)


# --- New sign-in notices --------------------------------------------------------


def test_first_sign_in_ever_sends_no_new_sign_in_notice(
    client, member, password, django_capture_on_commit_callbacks
):
    sign_in(client, member, password, django_capture_on_commit_callbacks)

    assert new_sign_in_mails() == []


def test_sign_in_from_the_same_address_and_browser_sends_no_notice(
    client, member, password, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sign_in(client, member, password, capture, HTTP_USER_AGENT=FIREFOX)
    sign_out(client)

    sign_in(client, member, password, capture, HTTP_USER_AGENT=FIREFOX)

    assert new_sign_in_mails() == []


def test_sign_in_from_a_new_address_sends_a_notice_with_that_address(
    client, member, password, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sign_in(client, member, password, capture, HTTP_USER_AGENT=FIREFOX)
    sign_out(client)

    sign_in(
        client,
        member,
        password,
        capture,
        HTTP_USER_AGENT=FIREFOX,
        REMOTE_ADDR="203.0.113.45",
    )

    (notice,) = new_sign_in_mails()
    assert notice.to == ["siti@example.com"]
    assert "203.0.113.45" in notice.body


def test_sign_in_from_a_new_browser_sends_a_notice(
    client, member, password, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sign_in(client, member, password, capture, HTTP_USER_AGENT=FIREFOX)
    sign_out(client)

    sign_in(client, member, password, capture, HTTP_USER_AGENT=CHROME_ANDROID)

    (notice,) = new_sign_in_mails()
    assert notice.to == ["siti@example.com"]
    assert "127.0.0.1" in notice.body


def test_failed_attempt_from_a_new_address_sends_no_notice(
    client, member, password, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sign_in(client, member, password, capture)
    sign_out(client)

    with capture(execute=True):
        post_login(
            client, member.kpj_number, "not the password", REMOTE_ADDR="203.0.113.9"
        )

    assert new_sign_in_mails() == []


# --- Cookie -------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site_lax(client, member, password):
    response = post_login(client, member.kpj_number, password)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
