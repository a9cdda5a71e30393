"""The member's own record: identity, contact details, audit trail, email change."""

import html
import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext

from audit.models import AuditEntry
from outbox.models import OutboxMessage
from tests.conftest import post_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory, nik_for

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = "Enter an Indonesian phone number, for example 0812 3456 7890."
POSTCODE_MESSAGE = "A postcode has 5 digits."
EMAIL_UNUSABLE = "This email address cannot be used. Choose another."
EMAIL_SAME = "This is already your email address."
LINK_GONE = "This link no longer works"
NEW_EMAIL = "siti.baru@example.com"
MEMBER_IP = "203.0.113.7"


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def flat(text: str) -> str:
    """Text with runs of whitespace (template line breaks) made single spaces."""
    return " ".join(text.split())


def translated(message: str, language: str) -> str:
    """`message` as a member reading `language` sees it; Indonesian must differ."""
    with translation.override(language):
        text = gettext(message)
    if language != "en":
        assert text != message, f"no {language!r} translation for {message!r}"
    return text


def sign_in(client, member, password=DEFAULT_PASSWORD):
    """Password-only sign-in through the real login page (no second step)."""
    response = post_login(client, member.kpj_number, password)
    assert response.status_code == 302, page_text(response)[:500]
    assert response.url == reverse("dashboard")
    return client


def signs_in(identifier: str) -> bool:
    """Whether a fresh browser can sign in with this KPJ number or email."""
    response = post_login(Client(), identifier, DEFAULT_PASSWORD)
    return response.status_code == 302


def profile_data(member, **changes) -> dict:
    """The contact form as the page shows it for `member`, with some fields typed."""
    data = {
        "phone": member.phone,
        "marital_status": member.marital_status,
        "address_street": member.address_street,
        "address_district": member.address_district,
        "address_city": member.address_city,
        "address_province": member.address_province,
        "address_postcode": member.address_postcode,
        "preferred_language": member.preferred_language,
    }
    data.update(changes)
    return data


def save_profile(client, member, *, ip="127.0.0.1", **changes):
    return client.post(
        reverse("accounts:profile"), profile_data(member, **changes), REMOTE_ADDR=ip
    )


def recent_changes(client) -> str:
    """The "Recent changes" part of the profile page, as flat text."""
    text = flat(page_text(client.get(reverse("accounts:profile"))))
    return text.split("Recent changes", 1)[1]


def request_email_change(client, email, capture, **extra):
    with capture(execute=True):
        return client.post(reverse("accounts:email_change"), {"email": email}, **extra)


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def confirm_link_path(message) -> str:
    """The path of the confirmation link in an email's text."""
    found = re.search(r"http://testserver(/\S+)", message.body)
    assert found, message.body
    path = found.group(1)
    assert resolve(path).url_name == "email_confirm", path
    return path


def emailed_link(client, member, capture, email=NEW_EMAIL) -> str:
    """Ask to change the member's address; the path of the link sent to `email`."""
    response = request_email_change(client, email, capture)
    assert response.status_code == 302, page_text(response)[:500]
    (message,) = mails_to(email)
    return confirm_link_path(message)


def stale_by(seconds: int):
    """A time machine `seconds` after now, ticking on."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


# --- Identity, read-only --------------------------------------------------------


def test_identity_is_shown_read_only_with_only_the_last_4_nik_digits(client, member):
    sign_in(client, member)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200
    text = page_text(response)
    assert member.full_name in text
    assert member.kpj_number in text
    assert "*" * 12 + member.nik[-4:] in text
    assert member.nik not in text
    assert member.nik[:12] not in text
    form_fields = set(response.context["form"].fields)
    assert not form_fields & {"full_name", "nik", "kpj_number", "date_of_birth"}
    assert not re.search(r'name="(full_name|nik|kpj_number|date_of_birth)"', text)


def test_identity_fields_posted_with_the_form_are_ignored(client, member):
    sign_in(client, member)
    before = (member.full_name, member.nik, member.kpj_number, member.date_of_birth)

    response = save_profile(
        client,
        member,
        phone="0812 3456 7890",
        full_name="Orang Lain",
        nik=nik_for(member.date_of_birth, female=False, serial=9999),
        kpj_number="19999999999",
        date_of_birth="1970-01-01",
        email="orang.lain@example.com",
        email_verified="on",
        is_staff="on",
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "+6281234567890"
    assert (
        member.full_name,
        member.nik,
        member.kpj_number,
        member.date_of_birth,
    ) == before
    assert member.email == "siti@example.com"
    assert not member.is_staff


def test_profile_needs_a_signed_in_member(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- Contact details --------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "0812-3456-7890",
        "+62 812 3456 7890",
        "6281234567890",
        "0812 3456 7890",
        "(0812) 3456.7890",
        "+6281234567890",
    ],
)
def test_phone_is_saved_as_plus_62_and_digits(client, member, typed):
    sign_in(client, member)

    response = save_profile(client, member, phone=typed)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    member.refresh_from_db()
    assert member.phone == "+6281234567890"


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(
    "typed", ["12345", "0812", "+1 202 555 0143", "0812-3456-789O", "0812345678901234"]
)
def test_invalid_phone_is_refused_with_a_clear_message(client, member, typed, language):
    member.preferred_language = language
    member.save(update_fields=["preferred_language"])
    sign_in(client, member)

    response = save_profile(client, member, phone=typed)

    assert response.status_code == 200
    assert translated(PHONE_MESSAGE, language) in page_text(response)
    member.refresh_from_db()
    assert member.phone == ""
    assert not AuditEntry.objects.filter(action="profile.changed").exists()


def test_address_and_preferred_language_are_saved_and_the_language_cookie_set(
    client, member
):
    sign_in(client, member)

    response = save_profile(
        client,
        member,
        marital_status="married",
        address_street="Jl. Merdeka No. 10",
        address_district="Gambir",
        address_city="Jakarta Pusat",
        address_province="31",
        address_postcode="10110",
        preferred_language="id",
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert (
        member.marital_status,
        member.address_street,
        member.address_district,
        member.address_city,
        member.address_province,
        member.address_postcode,
        member.preferred_language,
    ) == (
        "married",
        "Jl. Merdeka No. 10",
        "Gambir",
        "Jakarta Pusat",
        "31",
        "10110",
        "id",
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"
    # The next page comes in the language just chosen.
    next_page = client.get(reverse("accounts:profile")).content.decode()
    assert '<html lang="id">' in next_page


def test_the_language_cookie_is_set_as_sign_in_sets_it(client, member, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # as in production (DEBUG=0)
    at_sign_in = post_login(client, member.kpj_number, DEFAULT_PASSWORD).cookies[
        settings.LANGUAGE_COOKIE_NAME
    ]

    response = save_profile(client, member, preferred_language="id")

    at_save = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert at_save.value == "id"
    for attribute in ("secure", "samesite", "httponly", "path"):
        assert at_save[attribute] == at_sign_in[attribute], attribute


@pytest.mark.parametrize("typed", ["1011", "10a10", "1O110"])
def test_postcode_must_have_5_digits(client, member, typed):
    sign_in(client, member)

    response = save_profile(client, member, address_postcode=typed)

    assert response.status_code == 200
    assert POSTCODE_MESSAGE in page_text(response)
    member.refresh_from_db()
    assert member.address_postcode == ""


def test_postcode_longer_than_5_digits_is_refused(client, member):
    sign_in(client, member)

    response = save_profile(client, member, address_postcode="101101")

    assert response.status_code == 200
    member.refresh_from_db()
    assert member.address_postcode == ""


def test_saving_without_changes_says_so_and_records_nothing(client, member):
    sign_in(client, member)

    response = save_profile(client, member)

    assert response.status_code == 302
    assert "Nothing was changed." in page_text(client.get(response.url))
    assert not AuditEntry.objects.filter(action="profile.changed").exists()


# --- Every change recorded --------------------------------------------------------


def test_each_changed_field_is_audited_with_old_new_and_ip(client, member):
    member.phone = "+6281111111222"
    member.address_street = "Jl. Kenanga 5"
    member.save(update_fields=["phone", "address_street"])
    sign_in(client, member)

    save_profile(
        client,
        member,
        ip=MEMBER_IP,
        phone="0812 3456 7890",
        address_street="Jl. Merdeka No. 10",
        address_city="Jakarta Pusat",
    )

    entries = {
        entry.data["field"]: entry
        for entry in AuditEntry.objects.filter(member=member, action="profile.changed")
    }
    assert set(entries) == {"phone", "address_street", "address_city"}
    assert entries["phone"].data == {
        "field": "phone",
        "old": "+62********222",
        "new": "+62********890",
    }
    assert entries["address_street"].data == {
        "field": "address_street",
        "old": "Jl.***",
        "new": "Jl.***",
    }
    assert entries["address_city"].data == {
        "field": "address_city",
        "old": "",
        "new": "Jakarta Pusat",
    }
    assert all(entry.ip == MEMBER_IP for entry in entries.values())
    assert all(entry.actor == member for entry in entries.values())
    stored = json.dumps([entry.data for entry in entries.values()])
    for secret in ("81111111222", "81234567890", "Kenanga", "Merdeka"):
        assert secret not in stored


def test_recent_changes_show_readable_labels_and_names(client, member):
    member.phone = "+6281111111222"
    member.save(update_fields=["phone"])
    sign_in(client, member)

    save_profile(
        client,
        member,
        ip=MEMBER_IP,
        phone="0812 3456 7890",
        marital_status="married",
        address_province="31",
    )

    changes = recent_changes(client)
    assert "Phone number: +62********222 → +62********890" in changes
    assert "Marital status: — → Married" in changes
    assert "Province: — → DKI Jakarta" in changes
    assert f"from {MEMBER_IP}" in changes
    assert "81234567890" not in changes
    assert "address_province" not in changes


def test_no_changes_yet_is_said(client, member):
    sign_in(client, member)

    assert "No changes yet." in recent_changes(client)


def test_staff_see_profile_changes_in_the_admin(client, login, member, verified_staff):
    member_client = sign_in(Client(), member)
    save_profile(member_client, member, ip=MEMBER_IP, phone="0812 3456 7890")
    entry = AuditEntry.objects.get(member=member, action="profile.changed")
    login(verified_staff)

    changelist = client.get(
        reverse("admin:audit_auditentry_changelist") + "?action=profile.changed"
    )
    detail = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))

    assert changelist.status_code == 200
    listed = page_text(changelist)
    assert "profile.changed" in listed
    assert member.kpj_number in listed
    assert MEMBER_IP in listed
    assert detail.status_code == 200
    assert "+62********890" in page_text(detail)
    assert "81234567890" not in page_text(detail)


# --- Email change: recent authentication ---------------------------------------------


def test_email_change_asks_for_the_password_again_when_sign_in_is_old(client, member):
    sign_in(client, member)
    url = reverse("accounts:email_change")
    reauth = f"{reverse('accounts:reauth')}?{urlencode({'next': url})}"
    assert client.get(url).status_code == 200

    with stale_by(settings.RECENT_AUTH_SECONDS + 5):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reauth

        wrong = client.post(reauth, {"password": "not my password"})
        assert wrong.status_code == 200
        assert "The password is not correct." in page_text(wrong)
        member.refresh_from_db()
        assert member.failed_login_count == 1
        assert client.get(url).url == reauth

        right = client.post(reauth, {"password": DEFAULT_PASSWORD})
        assert right.status_code == 302
        assert right.url == url
        assert client.get(url).status_code == 200


def test_email_change_is_not_asked_again_within_the_recent_window(client, member):
    sign_in(client, member)

    with stale_by(settings.RECENT_AUTH_SECONDS - 30):
        response = client.get(reverse("accounts:email_change"))

    assert response.status_code == 200


def test_stale_email_change_sends_nothing(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)

    with stale_by(settings.RECENT_AUTH_SECONDS + 5):
        response = request_email_change(
            client, NEW_EMAIL, django_capture_on_commit_callbacks
        )

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:reauth"))
    assert mail.outbox == []


def test_reauth_does_not_follow_a_link_to_another_site(client, member):
    sign_in(client, member)
    url = f"{reverse('accounts:reauth')}?{urlencode({'next': 'https://evil.example/'})}"

    response = client.post(url, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")


def test_reauth_cannot_be_used_to_keep_guessing_once_the_account_is_locked(
    client, member, django_capture_on_commit_callbacks
):
    """Wrong passwords at re-authentication lock the account like at sign-in;
    once locked, the right password must not get through either."""
    sign_in(client, member)
    url = reverse("accounts:email_change")
    reauth = f"{reverse('accounts:reauth')}?{urlencode({'next': url})}"

    with stale_by(settings.RECENT_AUTH_SECONDS + 5):
        with django_capture_on_commit_callbacks(execute=True):
            for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
                client.post(reauth, {"password": "guess"})
        member.refresh_from_db()
        assert member.is_locked
        right = client.post(reauth, {"password": DEFAULT_PASSWORD})
        page = client.get(url)

    assert not (right.status_code == 302 and right.url == url)
    assert page.status_code == 302
    assert not page.url.startswith(url)


# --- Email change: the link --------------------------------------------------------


def test_link_goes_to_the_new_address_and_a_notice_to_the_old_one(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)

    response = request_email_change(
        client, NEW_EMAIL, django_capture_on_commit_callbacks, REMOTE_ADDR=MEMBER_IP
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert len(mail.outbox) == 2
    (link_mail,) = mails_to(NEW_EMAIL)
    assert "Confirm your new email address" in link_mail.subject
    assert "60 minutes" in link_mail.body
    confirm_link_path(link_mail)
    (notice,) = mails_to("siti@example.com")
    assert "A change of your email address was requested" in notice.subject
    assert "s***@example.com" in notice.body
    assert MEMBER_IP in notice.body
    assert "/email/confirm/" not in notice.body
    changes = recent_changes(client)
    assert "Email change to s***@example.com requested" in changes


def test_until_confirmed_the_old_address_stays_and_still_signs_in(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)

    emailed_link(client, member, django_capture_on_commit_callbacks)

    member.refresh_from_db()
    assert member.email == "siti@example.com"
    assert signs_in("siti@example.com")
    assert not signs_in(NEW_EMAIL)


def test_opening_the_link_changes_the_address_and_tells_the_old_one(
    client, member, django_capture_on_commit_callbacks
):
    member.email_verified = False
    member.save(update_fields=["email_verified"])
    sign_in(client, member)
    path = emailed_link(client, member, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(path, REMOTE_ADDR=MEMBER_IP)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    member.refresh_from_db()
    assert member.email == NEW_EMAIL
    assert member.email_verified
    (changed,) = mail.outbox
    assert changed.to == ["siti@example.com"]
    assert "Your email address was changed" in changed.subject
    assert "s***@example.com" in changed.body
    entry = AuditEntry.objects.get(
        member=member, action="profile.changed", data__field="email"
    )
    assert entry.data == {
        "field": "email",
        "old": "s***@example.com",
        "new": "s***@example.com",
    }
    assert entry.ip == MEMBER_IP
    assert signs_in(NEW_EMAIL)
    assert not signs_in("siti@example.com")


def test_the_link_works_only_once(client, member, django_capture_on_commit_callbacks):
    sign_in(client, member)
    path = emailed_link(client, member, django_capture_on_commit_callbacks)
    assert client.get(path).status_code == 302

    again = client.get(path)

    assert again.status_code == 400
    assert LINK_GONE in page_text(again)
    member.refresh_from_db()
    assert member.email == NEW_EMAIL


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_the_link_expires_after_one_hour(
    client, member, django_capture_on_commit_callbacks, minutes, works
):
    sign_in(client, member)
    path = emailed_link(client, member, django_capture_on_commit_callbacks)

    with stale_by(minutes * 60):
        # The session ran out long ago (15 minutes idle): the member signs in again.
        later = sign_in(Client(), member)
        response = later.get(path)

    member.refresh_from_db()
    if works:
        assert response.status_code == 302
        assert member.email == NEW_EMAIL
    else:
        assert response.status_code == 400
        assert LINK_GONE in page_text(response)
        assert member.email == "siti@example.com"


def test_the_link_does_not_work_for_another_signed_in_member(
    client, member, other_member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    path = emailed_link(client, member, django_capture_on_commit_callbacks)
    intruder = sign_in(Client(), other_member)

    response = intruder.get(path)

    assert response.status_code == 400
    assert LINK_GONE in page_text(response)
    member.refresh_from_db()
    other_member.refresh_from_db()
    assert member.email == "siti@example.com"
    assert other_member.email == "budi@example.com"
    # Still good for the member who asked.
    assert client.get(path).status_code == 302
    member.refresh_from_db()
    assert member.email == NEW_EMAIL


def test_the_link_needs_a_signed_in_member(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    path = emailed_link(client, member, django_capture_on_commit_callbacks)

    response = Client().get(path)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    member.refresh_from_db()
    assert member.email == "siti@example.com"


def test_a_tampered_link_does_not_work(
    client, member, django_capture_on_commit_callbacks
):
    sign_in(client, member)
    path = emailed_link(client, member, django_capture_on_commit_callbacks)
    token = resolve(path).kwargs["token"]
    forged = reverse("accounts:email_confirm", kwargs={"token": token[:-2] + "xx"})

    response = client.get(forged)

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email == "siti@example.com"


@pytest.mark.parametrize(
    "taken",
    ["budi@example.com", "BUDI@Example.COM", "inactive member"],
)
def test_an_address_of_another_member_is_refused_with_the_same_words(
    client, member, other_member, django_capture_on_commit_callbacks, taken
):
    if taken == "inactive member":
        MemberFactory(email="lama@example.com", is_active=False)
        taken = "lama@example.com"
    sign_in(client, member)

    response = request_email_change(client, taken, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [EMAIL_UNUSABLE]
    assert EMAIL_UNUSABLE in page_text(response)
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()
    assert not AuditEntry.objects.filter(action="email.change_requested").exists()


@pytest.mark.parametrize("same", ["siti@example.com", "Siti@Example.COM"])
def test_the_current_address_is_refused(
    client, member, django_capture_on_commit_callbacks, same
):
    sign_in(client, member)

    response = request_email_change(client, same, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [EMAIL_SAME]
    assert mail.outbox == []


def test_an_address_taken_after_the_link_was_sent_is_refused(
    client, member, other_member, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    sign_in(client, member)
    path = emailed_link(client, member, capture)
    mail.outbox.clear()
    other_client = sign_in(Client(), other_member)
    other_path = emailed_link(other_client, other_member, capture)
    assert other_client.get(other_path).status_code == 302

    response = client.get(path)

    assert response.status_code == 400
    member.refresh_from_db()
    assert member.email == "siti@example.com"
