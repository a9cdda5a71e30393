"""Password reset by email, password change and the password policy."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import captcha_from_page, post_login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet harbour lantern drifting"
LINK_GONE = "This link no longer works"
# Mid-way through a 15-minute rate-limit window, so no window boundary is crossed.
FROZEN_AT = datetime(2025, 6, 2, 3, 7, 30, tzinfo=UTC)
PASSWORD_64 = "lantern orchard velvet tundra mosaic pebble harbour cinnamon fig"
PASSWORD_100 = (
    "copper lantern drifts over quiet orchard while velvet tundra hums softly"
    " as mosaic pebbles line bays"
)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def post_reset_request(client, email, *, captcha_ok=True, **extra):
    """Load the reset page as a browser would, then submit it."""
    url = reverse("accounts:password_reset")
    key, answer = captcha_from_page(client.get(url).content.decode())
    data = {
        "email": email,
        "captcha_0": key,
        "captcha_1": answer if captcha_ok else "wrong",
    }
    return client.post(url, data, **extra)


def mails_with_subject(subject: str) -> list:
    return [message for message in mail.outbox if subject in message.subject]


def reset_link_path(message) -> str:
    """The path of the reset link in an email's text."""
    prefix = re.escape(reverse("accounts:password_reset"))
    found = re.search(r"http://testserver(" + prefix + r"\S+)", message.body)
    assert found, message.body
    return found.group(1)


def request_reset_link(client, email, capture) -> str:
    """Ask for a reset link for `email` and return the path of the one emailed."""
    with capture(execute=True):
        post_reset_request(client, email)
    (message,) = mails_with_subject("Reset your BPJS Ketenagakerjaan password")
    return reset_link_path(message)


def open_reset_link(client, path):
    """Follow the emailed link; Django's view moves on to a set-password URL."""
    return client.get(path, follow=True)


def set_new_password(client, path, password=NEW_PASSWORD):
    page = open_reset_link(client, path)
    assert page.status_code == 200
    assert LINK_GONE not in page_text(page)
    set_password_url = page.redirect_chain[-1][0]
    return client.post(
        set_password_url,
        {"new_password1": password, "new_password2": password},
    )


def signs_in(member, password, **extra) -> bool:
    response = post_login(Client(), member.kpj_number, password, **extra)
    return response.status_code == 302


def change_password(client, old, new):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def is_signed_out(client) -> bool:
    response = client.get(reverse("dashboard"))
    return response.status_code == 302 and response.url.startswith(
        reverse("accounts:login")
    )


# --- Reset request ------------------------------------------------------------


def test_reset_request_with_wrong_captcha_is_refused_and_sends_nothing(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_reset_request(client, member.email, captcha_ok=False)

    assert response.status_code == 200
    assert "The characters do not match the image" in page_text(response)
    assert mail.outbox == []


def test_reset_request_without_captcha_is_refused_and_sends_nothing(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"email": member.email}
        )

    assert response.status_code == 200
    assert response.context["form"].errors["captcha"]
    assert mail.outbox == []


def test_reset_request_answers_the_same_for_known_and_unknown_addresses(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        unknown = post_reset_request(client, "nobody@example.com")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        known = post_reset_request(client, member.email)

    assert unknown.status_code == known.status_code == 302
    assert unknown.url == known.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1


def test_reset_request_for_a_member_not_yet_activated_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    pending = MemberFactory(email="pending@example.com")
    pending.set_unusable_password()
    pending.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = post_reset_request(client, "pending@example.com")

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_reset_by_emailed_link_sets_a_new_password(
    client, member, password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_reset_request(client, "  SITI@Example.COM ")

    (message,) = mail.outbox
    assert message.to == ["siti@example.com"]
    assert message.subject == "Reset your BPJS Ketenagakerjaan password"
    path = reset_link_path(message)

    with django_capture_on_commit_callbacks(execute=True):
        response = set_new_password(client, path)

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    assert signs_in(member, NEW_PASSWORD)
    assert not signs_in(member, password)


def test_reset_link_works_only_once(client, member, django_capture_on_commit_callbacks):
    path = request_reset_link(client, member.email, django_capture_on_commit_callbacks)
    set_new_password(client, path)

    again = open_reset_link(Client(), path)

    assert LINK_GONE in page_text(again)
    assert "new_password1" not in page_text(again)


def test_reset_link_expires_after_an_hour(
    client, member, password, django_capture_on_commit_callbacks
):
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        path = request_reset_link(
            client, member.email, django_capture_on_commit_callbacks
        )
        traveller.shift(timedelta(minutes=59))
        opened_in_time = Client()
        form_page = open_reset_link(opened_in_time, path)
        assert LINK_GONE not in page_text(form_page)

        traveller.shift(timedelta(minutes=2))
        late = open_reset_link(Client(), path)
        # A form opened before the hour was up cannot be sent after it either.
        late_post = opened_in_time.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )

    assert LINK_GONE in page_text(late)
    assert LINK_GONE in page_text(late_post)
    assert signs_in(member, password)
    assert not signs_in(member, NEW_PASSWORD)


def test_reset_unlocks_the_account_and_ends_other_sessions(
    client, member, password, django_capture_on_commit_callbacks
):
    elsewhere = Client()
    post_login(elsewhere, member.kpj_number, password)
    assert not is_signed_out(elsewhere)
    member.locked_at = timezone.now()
    member.failed_login_count = 5
    member.save()

    path = request_reset_link(client, member.email, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        set_new_password(client, path)

    member.refresh_from_db()
    assert member.locked_at is None
    assert member.failed_login_count == 0
    assert is_signed_out(elsewhere)
    (notice,) = mails_with_subject("Your password was reset")
    assert notice.to == ["siti@example.com"]
    assert "127.0.0.1" in notice.body
    assert signs_in(member, NEW_PASSWORD)


def test_reset_of_an_open_account_clears_the_failure_count(
    client, member, django_capture_on_commit_callbacks
):
    member.failed_login_count = 3
    member.save()
    path = request_reset_link(client, member.email, django_capture_on_commit_callbacks)

    set_new_password(client, path)

    member.refresh_from_db()
    assert member.failed_login_count == 0


def test_reset_requests_are_rate_limited_per_address(
    client, member, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_REQUEST_LIMIT = 3
    with time_machine.travel(FROZEN_AT, tick=False):
        for _ in range(3):
            assert post_reset_request(client, "nobody@example.com").status_code == 302

        with django_capture_on_commit_callbacks(execute=True):
            refused = post_reset_request(client, member.email)
        other_address = post_reset_request(
            Client(), "nobody@example.com", REMOTE_ADDR="10.0.0.7"
        )

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.ACCOUNT_REQUEST_WINDOW_SECONDS
    assert mail.outbox == []
    assert other_address.status_code == 302


# --- Change -------------------------------------------------------------------


def test_change_password_needs_the_current_password(
    client, login, member, password, django_capture_on_commit_callbacks
):
    login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_password(client, "not the current one", NEW_PASSWORD)

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in page_text(response)
    assert mail.outbox == []
    assert signs_in(member, password)
    assert not signs_in(member, NEW_PASSWORD)


def test_change_password_page_needs_sign_in(client):
    response = client.get(reverse("accounts:password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_change_password_keeps_this_session_and_ends_the_others(
    client, login, member, password, django_capture_on_commit_callbacks
):
    elsewhere = Client()
    post_login(elsewhere, member.kpj_number, password)
    login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_password(client, password, NEW_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change_done")
    assert not is_signed_out(client)
    assert is_signed_out(elsewhere)
    (notice,) = mails_with_subject("Your password was changed")
    assert notice.to == ["siti@example.com"]
    assert signs_in(member, NEW_PASSWORD)
    assert not signs_in(member, password)


# --- Policy -------------------------------------------------------------------


def validation_errors(password, user) -> dict[str, str]:
    """Each refusal's code and message, in the active language; {} if accepted."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        return {
            item.code: message
            for item, message in zip(error.error_list, error.messages, strict=True)
        }
    return {}


def test_password_of_fewer_than_12_characters_is_refused_on_the_change_form(
    client, login, member, password
):
    login(member)

    response = change_password(client, password, "kopi pagi 1")

    assert response.status_code == 200
    assert "at least 12 characters" in page_text(response)
    assert signs_in(member, password)


def test_password_of_12_characters_is_long_enough(member):
    assert "password_too_short" not in validation_errors("kopi pagi 12", member)
    assert "password_too_short" in validation_errors("kopi pagi 1", member)


@pytest.mark.parametrize("candidate", [PASSWORD_64, PASSWORD_100])
def test_long_passwords_are_accepted(member, candidate):
    assert len(candidate) in (64, 100)
    assert validation_errors(candidate, member) == {}


def test_long_password_is_never_truncated(
    client, login, member, password, django_capture_on_commit_callbacks
):
    assert len(PASSWORD_100) == 100
    login(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = change_password(client, password, PASSWORD_100)

    assert response.status_code == 302
    assert not signs_in(member, PASSWORD_100[:72])
    assert not signs_in(member, PASSWORD_100[:99])
    assert signs_in(member, PASSWORD_100)


@pytest.mark.parametrize(
    "candidate", ["bismillah123", "Indonesia123", "password1234", "Bismillah 123!"]
)
def test_common_passwords_of_12_characters_are_refused(member, candidate):
    errors = validation_errors(candidate, member)

    assert "password_too_short" not in errors
    assert "password_too_common" in errors


PERSONAL = (
    "Your password cannot contain your name, the name in your email address, "
    "your member number, NIK or date of birth."
)


def personal_candidates(member) -> dict[str, str]:
    born = member.date_of_birth
    return {
        "name": "rahayu kebun kopi",
        "kpj": f"kartu {member.kpj_number}",
        "nik": f"ktp {member.nik} saya",
        "birth date": f"lahir {born:%d%m%Y} pagi",
    }


@pytest.mark.parametrize("which", ["name", "kpj", "nik", "birth date"])
def test_passwords_with_the_members_own_data_are_refused(member, which):
    candidate = personal_candidates(member)[which]

    errors = validation_errors(candidate, member)

    assert errors.get("password_personal_information") == PERSONAL


@pytest.mark.parametrize(
    "candidate", ["bpjs kopi pagi hari", "Ketenagakerjaan-2024!", "kopi BPJS-tk rasa"]
)
def test_passwords_with_the_agencys_name_are_refused(member, candidate):
    errors = validation_errors(candidate, member)

    assert errors.get("password_agency_name") == (
        "Your password cannot contain the agency's name."
    )


def test_change_form_shows_why_a_personal_password_is_refused(
    client, login, member, password
):
    login(member)

    response = change_password(client, password, "rahayu kebun kopi")

    assert response.status_code == 200
    assert PERSONAL in page_text(response)
    assert signs_in(member, password)


POLICY_CASES = {
    "too short": ("kopi pagi 1", "password_too_short"),
    "common": ("bismillah123", "password_too_common"),
    "name": ("rahayu kebun kopi", "password_personal_information"),
    "agency": ("bpjs kopi pagi hari", "password_agency_name"),
}


@pytest.mark.parametrize("case", POLICY_CASES)
def test_each_refusal_is_explained_in_english_and_in_indonesian(member, case):
    candidate, code = POLICY_CASES[case]

    with translation.override("en"):
        english = validation_errors(candidate, member)[code]
    with translation.override("id"):
        indonesian = validation_errors(candidate, member)[code]

    assert english
    assert indonesian
    assert indonesian != english, f"untranslated: {english!r}"
