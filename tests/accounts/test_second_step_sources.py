"""A code is checked against the source the member names, and nothing else.

django-otp throttles each device on its own wrong codes (issue #110 on its
tracker): when every 6-digit code was tried on the authenticator first, each
sign-in by email code counted as a wrong authenticator code, and after ~20 the
authenticator refused its next right code and that refusal counted toward the
lockout.
"""

from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts import test_two_factor
from tests.accounts.test_two_factor import (
    code_for,
    code_from_mail,
    enable_email_codes,
    send_email_code,
    set_up_totp,
    sign_in,
    signed_in_as,
    start_login,
    wrong_code_for,
)

frozen = test_two_factor.frozen  # the fixture: time stands still until shifted
VERIFY = reverse("accounts:login_verify")
EMAIL_RESEND_WAIT = 61


def _member_with_app_and_email(client, member, frozen):
    sign_in(client, member)
    secret, _codes = set_up_totp(client)
    client.post(reverse("accounts:backup_codes_done"))
    client.post(reverse("accounts:logout"))
    enable_email_codes(member)
    frozen.shift(30)
    return secret


def test_twenty_sign_ins_by_email_code_leave_the_authenticator_working(
    client, member, frozen, django_capture_on_commit_callbacks
):
    secret = _member_with_app_and_email(client, member, frozen)
    for _ in range(20):
        frozen.shift(EMAIL_RESEND_WAIT)
        start_login(client, member)
        send_email_code(client, django_capture_on_commit_callbacks)
        code = code_from_mail(mail.outbox[-1])
        assert client.post(VERIFY, {"code": code}).status_code == 302
        assert signed_in_as(client, member)
        client.post(reverse("accounts:logout"))

    frozen.shift(30)
    start_login(client, member)
    response = client.post(VERIFY, {"method": "app", "code": code_for(secret)})

    assert response.status_code == 302
    assert signed_in_as(client, member)
    member.refresh_from_db()
    assert member.failed_login_count == 0
    assert TOTPDevice.objects.get(user=member).throttling_failure_count == 0


def test_a_wrong_email_code_does_not_throttle_the_authenticator(
    client, member, frozen, django_capture_on_commit_callbacks
):
    secret = _member_with_app_and_email(client, member, frozen)
    start_login(client, member)
    send_email_code(client, django_capture_on_commit_callbacks)
    wrong = wrong_code_for(secret)

    refused = client.post(VERIFY, {"method": "email", "code": wrong})

    assert refused.status_code == 200
    assert TOTPDevice.objects.get(user=member).throttling_failure_count == 0
    assert EmailDevice.objects.get(user=member).throttling_failure_count == 1
    member.refresh_from_db()
    assert member.failed_login_count == 1  # a wrong code still counts
    response = client.post(VERIFY, {"method": "app", "code": code_for(secret)})
    assert response.status_code == 302
    assert signed_in_as(client, member)


def test_a_member_with_both_is_asked_where_the_code_is_from(
    client, member, frozen, django_capture_on_commit_callbacks
):
    _member_with_app_and_email(client, member, frozen)
    start_login(client, member)

    page = client.get(VERIFY).content.decode()
    assert "Where is your code from?" in page
    assert 'value="app" id="id_method_0" checked' in page

    emailed = send_email_code(client, django_capture_on_commit_callbacks)
    assert 'value="email" id="id_method_1" checked' in emailed.content.decode()


def test_a_member_with_one_source_is_not_asked(client, member, frozen):
    enable_email_codes(member)
    start_login(client, member)

    assert "Where is your code from?" not in client.get(VERIFY).content.decode()
