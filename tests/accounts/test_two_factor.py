"""Two-step verification: authenticator app, email codes, backup codes, admin."""

import re
import time
from base64 import b32encode
from binascii import unhexlify

import pyotp
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode, BackupCodeDevice, LoginEvent
from tests.conftest import post_login, totp_now
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

_SECRET = re.compile(r'id="totp-secret">([^<]+)<')
_BACKUP_CODE = re.compile(r"<li>([A-Z2-9]{5}-[A-Z2-9]{5})</li>")
_MAIL_CODE = re.compile(r"\b(\d{6})\b")
WRONG_CODE_MESSAGE = "This code is not correct or has expired."


@pytest.fixture
def frozen():
    """Time stands still, 5 seconds into a 30-second TOTP window, until shifted."""
    start = (int(time.time()) // 30 + 1) * 30 + 5
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


def sign_in(client, member):
    """Password-only sign-in, for a member without two-step verification."""
    response = post_login(client, member.kpj_number, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    return client


def start_login(client, member):
    """Pass the password step; the member now waits at the second step."""
    response = post_login(client, member.kpj_number, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login_verify")
    return response


def verify(client, code):
    return client.post(reverse("accounts:login_verify"), {"code": code})


def signed_in_as(client, member) -> bool:
    return client.session.get("_auth_user_id") == str(member.pk)


def secret_from_page(html: str) -> str:
    return _SECRET.search(html).group(1).replace(" ", "")


def code_for(secret: str, *, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + offset_steps * 30)


def wrong_code_for(secret: str) -> str:
    """A 6-digit code the authenticator does not accept now (nor one step off)."""
    valid = {code_for(secret, offset_steps=n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def device_secret(device: TOTPDevice) -> str:
    return b32encode(unhexlify(device.key)).decode()


def set_up_totp(client) -> tuple[str, list[str]]:
    """Enrol an authenticator through the pages; returns its secret and backup codes."""
    page = client.get(reverse("accounts:two_factor_totp"))
    secret = secret_from_page(page.content.decode())
    response = client.post(
        reverse("accounts:two_factor_totp"), {"code": code_for(secret)}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:backup_codes")
    codes = _BACKUP_CODE.findall(client.get(response.url).content.decode())
    return secret, codes


def enable_email_codes(member) -> EmailDevice:
    return EmailDevice.objects.create(
        user=member, name="email", email=member.email, confirmed=True
    )


def code_from_mail(message) -> str:
    return _MAIL_CODE.search(message.body).group(1)


def send_email_code(client, capture, url=None):
    url = url or reverse("accounts:login_verify")
    with capture(execute=True):
        return client.post(url, {"action": "send_email"}, follow=True)


# --- Status page and authenticator set-up -----------------------------------------


def test_two_factor_page_needs_sign_in(client):
    response = client.get(reverse("accounts:two_factor"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_two_factor_page_says_off_and_offers_app_and_email(client, member):
    sign_in(client, member)

    html = client.get(reverse("accounts:two_factor")).content.decode()

    assert "Status: off" in html
    assert reverse("accounts:two_factor_totp") in html
    assert reverse("accounts:two_factor_email") in html


def test_setup_page_draws_the_qr_code_itself_and_shows_the_key_to_type(client, member):
    sign_in(client, member)

    response = client.get(reverse("accounts:two_factor_totp"))

    html = response.content.decode()
    device = TOTPDevice.objects.get(user=member)
    assert not device.confirmed
    assert "<svg" in html
    assert "<path" in html
    assert "<img" not in html.split('class="qr"', 1)[1].split("</div>", 1)[0]
    assert secret_from_page(html) == device_secret(device).rstrip("=")
    assert f"BPJS Ketenagakerjaan: {member.kpj_number}" in html


def test_enrolment_link_names_the_issuer_and_the_member_number(client, member):
    sign_in(client, member)
    client.get(reverse("accounts:two_factor_totp"))

    url = TOTPDevice.objects.get(user=member).config_url

    assert url.startswith(
        f"otpauth://totp/BPJS%20Ketenagakerjaan%3A{member.kpj_number}"
    )
    assert "issuer=BPJS%20Ketenagakerjaan" in url


def test_authenticator_is_active_only_after_a_current_code_confirms_it(
    client, member, frozen
):
    sign_in(client, member)
    page = client.get(reverse("accounts:two_factor_totp")).content.decode()
    secret = secret_from_page(page)
    assert not TOTPDevice.objects.filter(user=member, confirmed=True).exists()

    response = client.post(
        reverse("accounts:two_factor_totp"), {"code": code_for(secret)}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:backup_codes")
    assert TOTPDevice.objects.get(user=member).confirmed
    client.post(reverse("accounts:logout"))
    frozen.shift(30)
    start_login(client, member)
    assert not signed_in_as(client, member)
    response = verify(client, code_for(secret))
    assert response.status_code == 302
    assert signed_in_as(client, member)


def test_wrong_code_leaves_the_authenticator_off_and_login_one_step(client, member):
    sign_in(client, member)
    page = client.get(reverse("accounts:two_factor_totp")).content.decode()
    secret = secret_from_page(page)

    response = client.post(
        reverse("accounts:two_factor_totp"), {"code": wrong_code_for(secret)}
    )

    assert response.status_code == 200
    assert "This code is not correct" in response.content.decode()
    assert not TOTPDevice.objects.get(user=member).confirmed
    assert not BackupCodeDevice.objects.filter(user=member).exists()
    client.post(reverse("accounts:logout"))
    sign_in(client, member)
    assert signed_in_as(client, member)


def test_status_page_lists_the_authenticator_and_ten_backup_codes(
    client, member, frozen
):
    sign_in(client, member)
    set_up_totp(client)

    html = client.get(reverse("accounts:two_factor")).content.decode()

    assert "Status: on" in html
    assert "Authenticator app" in html
    assert "10 unused backup codes" in html


def test_another_member_gets_their_own_secret_not_a_pending_one(
    client, member, other_member, frozen
):
    sign_in(client, member)
    page = client.get(reverse("accounts:two_factor_totp")).content.decode()
    secret_a = secret_from_page(page)
    other = sign_in(Client(), other_member)

    page_b = other.get(reverse("accounts:two_factor_totp")).content.decode()
    refused = other.post(
        reverse("accounts:two_factor_totp"), {"code": code_for(secret_a)}
    )

    assert secret_from_page(page_b) != secret_a
    assert refused.status_code == 200
    assert not TOTPDevice.objects.filter(user=other_member, confirmed=True).exists()
    pending = TOTPDevice.objects.get(user=member)
    assert not pending.confirmed
    assert device_secret(pending).rstrip("=") == secret_a
    # The owner's pending device is untouched and still confirms with its code.
    response = client.post(
        reverse("accounts:two_factor_totp"), {"code": code_for(secret_a)}
    )
    assert response.url == reverse("accounts:backup_codes")


# --- Backup codes ------------------------------------------------------------------


def test_setup_shows_ten_different_backup_codes_once(client, member, frozen):
    sign_in(client, member)
    _secret, codes = set_up_totp(client)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    response = client.post(reverse("accounts:backup_codes_done"))
    assert response.url == reverse("accounts:two_factor")
    again = client.get(reverse("accounts:backup_codes"))
    assert again.status_code == 302
    assert again.url == reverse("accounts:two_factor")


def test_backup_codes_stop_showing_after_ten_minutes(client, member, frozen):
    sign_in(client, member)
    set_up_totp(client)

    frozen.shift(9 * 60)
    assert client.get(reverse("accounts:backup_codes")).status_code == 200
    frozen.shift(2 * 60)
    response = client.get(reverse("accounts:backup_codes"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor")
    download = client.post(reverse("accounts:backup_codes_download"))
    assert download.status_code == 302


def test_backup_codes_download_as_a_text_file(client, member, frozen):
    sign_in(client, member)
    _secret, codes = set_up_totp(client)

    response = client.post(reverse("accounts:backup_codes_download"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    assert member.kpj_number in body
    for code in codes:
        assert code in body


def test_backup_codes_are_stored_only_as_argon2_hashes(client, member, frozen):
    sign_in(client, member)
    _secret, codes = set_up_totp(client)

    rows = list(BackupCode.objects.filter(device__user=member).values())
    device_rows = list(BackupCodeDevice.objects.filter(user=member).values())

    assert len(rows) == 10
    assert all(row["code_hash"].startswith("argon2") for row in rows)
    stored = repr(rows) + repr(device_rows)
    for code in codes:
        assert code not in stored
        assert code.replace("-", "") not in stored


def test_backup_code_signs_in_once_and_the_status_page_counts_it(
    client, member, frozen
):
    sign_in(client, member)
    _secret, codes = set_up_totp(client)
    client.post(reverse("accounts:logout"))

    start_login(client, member)
    response = verify(client, codes[0])

    assert response.status_code == 302
    assert signed_in_as(client, member)
    status = client.get(reverse("accounts:two_factor")).content.decode()
    assert "9 unused backup codes" in status
    client.post(reverse("accounts:logout"))
    start_login(client, member)
    replay = verify(client, codes[0])
    assert replay.status_code == 200
    assert not signed_in_as(client, member)


def test_new_backup_codes_replace_the_old_ones(
    client, member, frozen, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    _secret, old_codes = set_up_totp(client)
    client.post(reverse("accounts:backup_codes_done"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:backup_codes_regenerate"))
    assert response.url == reverse("accounts:backup_codes")
    new_codes = _BACKUP_CODE.findall(client.get(response.url).content.decode())

    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert mail.outbox[-1].subject == "New backup codes were made for your account"
    client.post(reverse("accounts:logout"))
    start_login(client, member)
    assert verify(client, old_codes[0]).status_code == 200
    assert not signed_in_as(client, member)
    frozen.shift(2)  # past the wait after a wrong code
    assert verify(client, new_codes[0]).status_code == 302
    assert signed_in_as(client, member)


# --- Second step at login ----------------------------------------------------------


def test_password_alone_does_not_sign_in_a_member_with_two_factor(
    client, member, enable_totp
):
    enable_totp(member)

    start_login(client, member)

    assert "_auth_user_id" not in client.session
    for url in (reverse("dashboard"), reverse("accounts:activity")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    page = client.get(reverse("accounts:login_verify"))
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()


def test_authenticator_code_finishes_the_sign_in_with_a_new_session_key(
    client, member, enable_totp, frozen
):
    device = enable_totp(member)
    start_login(client, member)
    half_way_key = client.session.session_key

    response = verify(client, totp_now(device))

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert signed_in_as(client, member)
    assert client.session.session_key != half_way_key
    assert client.get(reverse("dashboard")).status_code == 200


def test_password_step_and_sign_in_are_logged(client, member, enable_totp, frozen):
    device = enable_totp(member)

    start_login(client, member)
    assert list(LoginEvent.objects.values_list("outcome", flat=True)) == [
        LoginEvent.Outcome.PASSWORD_OK
    ]
    verify(client, totp_now(device))

    outcomes = LoginEvent.objects.order_by("pk").values_list("outcome", flat=True)
    assert list(outcomes) == [
        LoginEvent.Outcome.PASSWORD_OK,
        LoginEvent.Outcome.SUCCESS,
    ]


@pytest.mark.parametrize(
    ("wait", "signed_in"),
    [
        (settings.LOGIN_SECOND_STEP_SECONDS - 1, True),
        (settings.LOGIN_SECOND_STEP_SECONDS + 1, False),
    ],
)
def test_second_step_expires_after_five_minutes(
    client, member, enable_totp, frozen, wait, signed_in
):
    device = enable_totp(member)
    start_login(client, member)

    frozen.shift(wait)
    response = verify(client, totp_now(device))

    assert response.status_code == 302
    assert signed_in_as(client, member) is signed_in
    if not signed_in:
        assert response.url == reverse("accounts:login")
        assert client.get(reverse("accounts:login_verify")).url == reverse(
            "accounts:login"
        )


def test_used_authenticator_code_cannot_be_replayed(
    client, member, enable_totp, frozen
):
    device = enable_totp(member)
    code = totp_now(device)
    start_login(client, member)
    verify(client, code)
    assert signed_in_as(client, member)
    client.post(reverse("accounts:logout"))

    start_login(client, member)
    replay = verify(client, code)

    assert replay.status_code == 200
    assert WRONG_CODE_MESSAGE in replay.content.decode()
    assert not signed_in_as(client, member)
    frozen.shift(30)
    assert verify(client, totp_now(device)).status_code == 302
    assert signed_in_as(client, member)


def test_after_a_wrong_code_even_the_right_one_waits_a_second(
    client, member, enable_totp, frozen
):
    device = enable_totp(member)
    secret = device_secret(device)
    start_login(client, member)

    verify(client, wrong_code_for(secret))
    too_soon = verify(client, totp_now(device))

    assert too_soon.status_code == 200
    assert not signed_in_as(client, member)
    frozen.shift(2)
    assert verify(client, totp_now(device)).status_code == 302
    assert signed_in_as(client, member)


def test_wrong_code_is_logged_and_counts_toward_the_lockout(
    client, member, enable_totp
):
    device = enable_totp(member)
    start_login(client, member)

    response = verify(client, wrong_code_for(device_secret(device)))

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    member.refresh_from_db()
    assert member.failed_login_count == 1
    assert LoginEvent.objects.filter(
        member=member, outcome=LoginEvent.Outcome.BAD_OTP
    ).exists()


def test_five_wrong_codes_lock_the_account(
    client, member, enable_totp, frozen, django_capture_on_commit_callbacks
):
    device = enable_totp(member)
    wrong = wrong_code_for(device_secret(device))
    start_login(client, member)

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            assert verify(client, wrong).status_code == 200
        response = verify(client, wrong)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    member.refresh_from_db()
    assert member.is_locked
    assert member.failed_login_count == 5
    assert (
        LoginEvent.objects.filter(
            member=member, outcome=LoginEvent.Outcome.BAD_OTP
        ).count()
        == 5
    )
    assert "locked" in mail.outbox[-1].subject
    frozen.shift(60)
    locked = post_login(client, member.kpj_number, DEFAULT_PASSWORD)
    assert locked.status_code == 200
    assert not signed_in_as(client, member)


# --- Codes by email -----------------------------------------------------------------


def test_email_setup_page_says_an_authenticator_app_is_safer(client, member):
    sign_in(client, member)

    html = client.get(reverse("accounts:two_factor_email")).content.decode()

    assert "An authenticator app is safer" in html
    assert member.email in html


def test_member_without_smartphone_turns_on_email_codes(
    client, member, frozen, django_capture_on_commit_callbacks
):
    sign_in(client, member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:two_factor_email"), {"action": "send"})
    assert response.url == reverse("accounts:two_factor_email")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    code = code_from_mail(mail.outbox[0])
    assert not EmailDevice.objects.get(user=member).confirmed

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:two_factor_email"), {"code": code})

    assert response.status_code == 302
    assert response.url == reverse("accounts:backup_codes")
    assert EmailDevice.objects.get(user=member).confirmed
    assert mail.outbox[-1].subject == "Two-step verification is on"
    status = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Status: on" in status
    assert f"Codes by email to {member.email}" in status
    assert "Two-step verification is on." in dashboard_html(client)
    client.post(reverse("accounts:logout"))
    start_login(client, member)
    assert not signed_in_as(client, member)


def test_wrong_or_expired_code_does_not_turn_on_email_codes(
    client, member, frozen, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:two_factor_email"), {"action": "send"})
    code = code_from_mail(mail.outbox[0])
    wrong = "000000" if code != "000000" else "111111"

    wrong_response = client.post(reverse("accounts:two_factor_email"), {"code": wrong})
    frozen.shift(settings.OTP_EMAIL_TOKEN_VALIDITY + 1)
    late = client.post(reverse("accounts:two_factor_email"), {"code": code})

    for response in (wrong_response, late):
        assert response.status_code == 200
        assert "This code is not correct or has expired." in response.content.decode()
    assert not EmailDevice.objects.get(user=member).confirmed


def test_emailed_code_signs_in_at_the_second_step(
    client, member, frozen, django_capture_on_commit_callbacks
):
    enable_email_codes(member)
    start_login(client, member)
    assert (
        "Email me a code"
        in client.get(reverse("accounts:login_verify")).content.decode()
    )

    page = send_email_code(client, django_capture_on_commit_callbacks)

    assert "We have emailed you a code" in page.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    frozen.shift(4 * 60)
    response = verify(client, code_from_mail(mail.outbox[0]))
    assert response.status_code == 302
    assert signed_in_as(client, member)
    assert client.session.get("otp_device_id")


def test_emailed_code_works_only_once(
    client, member, frozen, django_capture_on_commit_callbacks
):
    enable_email_codes(member)
    start_login(client, member)
    send_email_code(client, django_capture_on_commit_callbacks)
    code = code_from_mail(mail.outbox[0])
    verify(client, code)
    assert signed_in_as(client, member)
    client.post(reverse("accounts:logout"))

    start_login(client, member)
    replay = verify(client, code)

    assert replay.status_code == 200
    assert not signed_in_as(client, member)


def test_emailed_code_expires_after_five_minutes(
    client, member, frozen, django_capture_on_commit_callbacks
):
    enable_email_codes(member)
    start_login(client, member)
    send_email_code(client, django_capture_on_commit_callbacks)
    code = code_from_mail(mail.outbox[0])
    # A fresh password step, so the half-way sign-in itself is still open.
    frozen.shift(200)
    start_login(client, member)

    frozen.shift(settings.OTP_EMAIL_TOKEN_VALIDITY - 200 + 1)
    response = verify(client, code)

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert not signed_in_as(client, member)


def test_asking_again_within_a_minute_sends_no_second_email(
    client, member, frozen, django_capture_on_commit_callbacks
):
    enable_email_codes(member)
    start_login(client, member)
    send_email_code(client, django_capture_on_commit_callbacks)

    frozen.shift(30)
    page = send_email_code(client, django_capture_on_commit_callbacks)

    assert "Please wait before asking again" in page.content.decode()
    assert len(mail.outbox) == 1
    frozen.shift(31)
    send_email_code(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


# --- Turning it off -----------------------------------------------------------------


@pytest.fixture
def member_with_totp(client, member, frozen):
    """A signed-in member who set up an authenticator, 30 s later (a fresh code)."""
    sign_in(client, member)
    secret, _codes = set_up_totp(client)
    client.post(reverse("accounts:backup_codes_done"))
    frozen.shift(30)
    return secret


def test_turning_off_refuses_a_wrong_password(client, member, member_with_totp):
    response = client.post(
        reverse("accounts:two_factor_disable"),
        {"password": "not the password at all", "code": code_for(member_with_totp)},
    )

    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()


def test_turning_off_refuses_a_wrong_code(client, member, member_with_totp):
    response = client.post(
        reverse("accounts:two_factor_disable"),
        {"password": DEFAULT_PASSWORD, "code": wrong_code_for(member_with_totp)},
    )

    assert response.status_code == 200
    assert WRONG_CODE_MESSAGE in response.content.decode()
    assert TOTPDevice.objects.filter(user=member, confirmed=True).exists()
    member.refresh_from_db()
    assert member.failed_login_count == 1


def test_turning_off_with_password_and_code_makes_login_one_step_again(
    client, member, member_with_totp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:two_factor_disable"),
            {"password": DEFAULT_PASSWORD, "code": code_for(member_with_totp)},
            follow=True,
        )

    assert response.redirect_chain[-1][0] == reverse("accounts:two_factor")
    assert "Status: off" in response.content.decode()
    assert "Two-step verification is off" in dashboard_html(client)
    for model in (TOTPDevice, EmailDevice, BackupCodeDevice):
        assert not model.objects.filter(user=member).exists()
    assert mail.outbox[-1].subject == "Two-step verification is off"
    client.post(reverse("accounts:logout"))
    sign_in(client, member)
    assert signed_in_as(client, member)


def test_security_emails_for_on_new_backup_codes_and_off(
    client, member, frozen, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    with django_capture_on_commit_callbacks(execute=True):
        secret, _codes = set_up_totp(client)
        client.post(reverse("accounts:backup_codes_regenerate"))
        frozen.shift(30)
        client.post(
            reverse("accounts:two_factor_disable"),
            {"password": DEFAULT_PASSWORD, "code": code_for(secret)},
        )

    assert [m.subject for m in mail.outbox] == [
        "Two-step verification is on",
        "New backup codes were made for your account",
        "Two-step verification is off",
    ]
    assert all(m.to == [member.email] for m in mail.outbox)
    assert all("127.0.0.1" in m.body for m in mail.outbox)


# --- Admin and dashboard ------------------------------------------------------------


def test_staff_without_a_second_factor_is_sent_to_set_one_up(client, staff):
    sign_in(client, staff)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("accounts:two_factor")
    assert "Staff need two-step verification" in response.content.decode()


def test_staff_verified_at_login_can_use_the_admin(client, login, verified_staff):
    login(verified_staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200


def test_member_verified_with_a_code_still_cannot_use_the_admin(
    client, login, member, enable_totp
):
    enable_totp(member)
    login(member)
    assert client.session.get("otp_device_id")

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    changelist = client.get(reverse("admin:accounts_member_changelist"))
    assert changelist.status_code == 302
    assert changelist.url.startswith(reverse("admin:login"))


def test_member_who_opens_the_admin_gets_a_page_not_a_redirect_loop(
    client, login, member, enable_totp
):
    enable_totp(member)
    login(member)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code in (200, 403)
    assert "Site administration" not in response.content.decode()


def test_dashboard_nudges_a_member_without_two_factor(client, member):
    sign_in(client, member)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Two-step verification is off" in html
    assert f'<a href="{reverse("accounts:two_factor")}">Turn it on</a>' in html


def dashboard_html(client) -> str:
    return client.get(reverse("dashboard")).content.decode()


def test_dashboard_follows_the_authenticator_set_up_and_removed(
    client, member, member_with_totp
):
    assert "Two-step verification is on." in dashboard_html(client)

    # As staff deleting it in the admin would.
    TOTPDevice.objects.filter(user=member).delete()

    assert "Two-step verification is off" in dashboard_html(client)


def test_dashboard_shows_two_factor_is_on(client, login, member, enable_totp):
    enable_totp(member)
    login(member)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Two-step verification is on." in html
    assert "Turn it on" not in html
