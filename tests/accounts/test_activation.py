"""First-time activation: members registered by their employer choose a password."""

import html
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Member
from audit.models import AuditEntry
from tests.conftest import captcha_from_page, post_login
from tests.factories import nik_for

pytestmark = pytest.mark.django_db

BORN = date(1988, 5, 14)
NEW_PASSWORD = "violet harbour lantern drifting"
LINK_GONE = "This link no longer works"
ACTIVATION_SUBJECT = "Activate your BPJS Ketenagakerjaan account"
# Mid-way through a 15-minute rate-limit window, so no window boundary is crossed.
FROZEN_AT = datetime(2025, 6, 2, 3, 7, 30, tzinfo=UTC)


@pytest.fixture
def pending(db):
    """A member registered by the employer, who has never signed in."""
    return Member.objects.create_user(
        "12345678901",
        None,
        nik=nik_for(BORN, female=True, serial=7),
        full_name="Ayu Lestari",
        date_of_birth=BORN,
        preferred_language="en",
    )


def details(member, **changes) -> dict:
    data = {
        "kpj_number": member.kpj_number,
        "nik": member.nik,
        "date_of_birth": member.date_of_birth.isoformat(),
        "email": "ayu.lestari@example.com",
    }
    return {**data, **changes}


def post_activation(client, data, *, captcha_ok=True, **extra):
    """Load the activation page as a browser would, then submit it."""
    url = reverse("accounts:activate")
    key, answer = captcha_from_page(client.get(url).content.decode())
    captcha = {"captcha_0": key, "captcha_1": answer if captcha_ok else "wrong"}
    return client.post(url, {**data, **captcha}, **extra)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page_text(response))


def activation_mails() -> list:
    return [message for message in mail.outbox if message.subject == ACTIVATION_SUBJECT]


def activation_link_path(message) -> str:
    prefix = re.escape(reverse("accounts:activate"))
    found = re.search(r"http://testserver(" + prefix + r"\S+)", message.body)
    assert found, message.body
    return found.group(1)


def request_link(client, member, capture, **changes) -> str:
    with capture(execute=True):
        response = post_activation(client, details(member, **changes))
    assert response.status_code == 302
    (message,) = activation_mails()
    mail.outbox.clear()
    return activation_link_path(message)


def choose_password(client, path, password=NEW_PASSWORD):
    return client.post(path, {"new_password1": password, "new_password2": password})


def test_matching_details_email_a_link_to_the_given_address(
    client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_activation(client, details(pending))

    assert response.status_code == 302
    assert response.url == reverse("accounts:activate_sent")
    (message,) = mail.outbox
    assert message.to == ["ayu.lestari@example.com"]
    assert message.subject == ACTIVATION_SUBJECT
    assert "Ayu Lestari" in message.body
    assert activation_link_path(message)


def test_member_activates_by_link_and_signs_in_with_the_email(
    client, pending, django_capture_on_commit_callbacks
):
    path = request_link(client, pending, django_capture_on_commit_callbacks)

    form_page = client.get(path)
    assert form_page.status_code == 200
    assert "ayu.lestari@example.com" in page_text(form_page)
    with django_capture_on_commit_callbacks(execute=True):
        response = choose_password(client, path)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    pending.refresh_from_db()
    assert pending.email == "ayu.lestari@example.com"
    assert pending.email_verified
    assert pending.check_password(NEW_PASSWORD)
    (notice,) = mail.outbox
    assert notice.subject == "Your BPJS Ketenagakerjaan account is active"
    signed_in = post_login(Client(), "Ayu.Lestari@example.com", NEW_PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in.url == reverse("dashboard")


def test_activation_refuses_a_weak_password_and_keeps_the_link_working(
    client, pending, django_capture_on_commit_callbacks
):
    path = request_link(client, pending, django_capture_on_commit_callbacks)

    refused = choose_password(client, path, "lestari12345")

    assert refused.status_code == 200
    assert "cannot contain your name" in page_text(refused)
    pending.refresh_from_db()
    assert not pending.has_usable_password()
    assert choose_password(client, path).status_code == 302


def test_activation_link_works_only_once(
    client, pending, django_capture_on_commit_callbacks
):
    path = request_link(client, pending, django_capture_on_commit_callbacks)
    choose_password(client, path)

    reopened = Client().get(path)
    replayed = choose_password(Client(), path, "another fine long passphrase")

    assert reopened.status_code == 400
    assert LINK_GONE in page_text(reopened)
    assert replayed.status_code == 400
    pending.refresh_from_db()
    assert pending.check_password(NEW_PASSWORD)


def test_using_one_link_ends_every_other_link_sent_before(
    client, pending, django_capture_on_commit_callbacks
):
    first = request_link(client, pending, django_capture_on_commit_callbacks)
    second = request_link(
        client,
        pending,
        django_capture_on_commit_callbacks,
        email="ayu.other@example.com",
    )

    choose_password(client, second)

    assert Client().get(first).status_code == 400
    pending.refresh_from_db()
    assert pending.email == "ayu.other@example.com"


def test_activation_link_expires_after_an_hour(
    client, pending, django_capture_on_commit_callbacks
):
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        path = request_link(client, pending, django_capture_on_commit_callbacks)
        traveller.shift(timedelta(minutes=59))
        assert Client().get(path).status_code == 200

        traveller.shift(timedelta(minutes=2))
        late = Client().get(path)
        late_post = choose_password(Client(), path)

    assert late.status_code == 400
    assert LINK_GONE in page_text(late)
    assert late_post.status_code == 400
    pending.refresh_from_db()
    assert not pending.has_usable_password()


def test_tampered_activation_link_is_refused(
    client, pending, django_capture_on_commit_callbacks
):
    path = request_link(client, pending, django_capture_on_commit_callbacks)
    tampered = path[:-3] + ("a" if path[-3] != "a" else "b") + path[-2:]

    assert Client().get(tampered).status_code == 400


MISMATCHES = {
    "wrong NIK": lambda pending, member, other: details(
        pending, nik=nik_for(BORN, female=True, serial=8)
    ),
    "wrong date of birth": lambda pending, member, other: details(
        pending, date_of_birth="1988-05-15"
    ),
    "unknown KPJ": lambda pending, member, other: details(
        pending, kpj_number="99999999999"
    ),
    "already activated": lambda pending, member, other: details(member),
    "email of another member": lambda pending, member, other: details(
        pending, email=other.email.upper()
    ),
}


@pytest.mark.parametrize("case", MISMATCHES)
def test_mismatch_gets_the_same_answer_as_success_and_no_mail(
    client, pending, member, other_member, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        success = post_activation(Client(), details(pending))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = post_activation(
            client, MISMATCHES[case](pending, member, other_member)
        )

    assert response.status_code == success.status_code == 302
    assert response.url == success.url == reverse("accounts:activate_sent")
    assert mail.outbox == []


def test_sent_page_does_not_say_whether_the_details_matched(client, pending):
    matched = post_activation(client, details(pending), follow=True)
    unmatched = post_activation(
        client, details(pending, kpj_number="99999999999"), follow=True
    )

    assert matched.status_code == unmatched.status_code == 200
    assert "If the details match" in page_text(matched)
    assert without_csrf_token(matched) == without_csrf_token(unmatched)


def test_activation_without_the_right_captcha_is_refused(
    client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        wrong = post_activation(client, details(pending), captcha_ok=False)
        missing = client.post(reverse("accounts:activate"), details(pending))

    assert wrong.status_code == missing.status_code == 200
    assert "The characters do not match the image" in page_text(wrong)
    assert missing.context["form"].errors["captcha"]
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="account.activation_requested").exists()


def test_activation_requests_are_rate_limited_per_address(
    client, pending, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_REQUEST_LIMIT = 3
    with time_machine.travel(FROZEN_AT, tick=False):
        for _ in range(3):
            response = post_activation(
                client, details(pending, kpj_number="99999999999")
            )
            assert response.status_code == 302

        with django_capture_on_commit_callbacks(execute=True):
            refused = post_activation(client, details(pending))
        other_address = post_activation(
            Client(), details(pending), REMOTE_ADDR="10.0.0.7"
        )

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= settings.ACCOUNT_REQUEST_WINDOW_SECONDS
    assert activation_mails() == []
    assert other_address.status_code == 302


def test_attempts_are_audited_without_the_full_nik_or_kpj(client, pending):
    post_activation(client, details(pending, kpj_number="99999999999"))
    post_activation(client, details(pending), REMOTE_ADDR="10.0.0.8")

    entries = AuditEntry.objects.filter(action="account.activation_requested")
    assert entries.count() == 2
    assert {entry.ip for entry in entries} == {"127.0.0.1", "10.0.0.8"}
    matched = entries.get(ip="10.0.0.8")
    assert matched.member == pending
    assert matched.data["matched"] is True
    assert entries.get(ip="127.0.0.1").data["matched"] is False
    for entry in entries:
        stored = json.dumps(entry.data)
        assert pending.nik not in stored
        assert pending.kpj_number not in stored
        assert "99999999999" not in stored


def test_link_for_an_email_taken_meanwhile_does_not_activate_with_it(
    client, pending, django_capture_on_commit_callbacks
):
    """Two members asked for links to one address; only the first one may have it."""
    rival = Member.objects.create_user(
        "12345678902",
        None,
        nik=nik_for(BORN, female=True, serial=9),
        full_name="Rina Wati",
        date_of_birth=BORN,
        preferred_language="en",
    )
    rival_path = request_link(Client(), rival, django_capture_on_commit_callbacks)
    path = request_link(client, pending, django_capture_on_commit_callbacks)
    choose_password(Client(), rival_path)

    late = Client(raise_request_exception=False)
    response = choose_password(late, path)

    assert response.status_code in (200, 400)
    assert "already in use" in page_text(response) or LINK_GONE in page_text(response)
    pending.refresh_from_db()
    assert not pending.has_usable_password()
    assert pending.email == ""
