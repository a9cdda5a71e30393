import argon2
import argon2._password_hasher
import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.hashers import PortalArgon2Hasher
from accounts.models import LoginEvent, Member
from audit.models import AuditEntry
from outbox.models import OutboxMessage
from tests.conftest import post_login

pytestmark = pytest.mark.django_db

GENERIC_FAILURE = "The member number/email or password is not correct."


def test_member_logs_in_with_kpj_and_lands_on_dashboard(client, member, password):
    response = post_login(client, member.kpj_number, password)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert "Siti" in dashboard.content.decode()
    assert LoginEvent.objects.get().outcome == LoginEvent.Outcome.SUCCESS


def test_member_logs_in_with_email_in_any_letter_case(client, member, password):
    response = post_login(client, "  SITI@Example.COM ", password)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_page_marks_fields_for_password_managers(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert "/captcha/image/" in html
    assert "data-captcha-refresh" in html


def test_wrong_password_is_refused_and_counted(client, member):
    response = post_login(client, member.kpj_number, "not the password at all")

    assert response.status_code == 200
    assert GENERIC_FAILURE in response.content.decode()
    assert "_auth_user_id" not in client.session
    member.refresh_from_db()
    assert member.failed_login_count == 1
    assert LoginEvent.objects.get().outcome == LoginEvent.Outcome.BAD_PASSWORD


def test_unknown_account_gets_the_same_message_as_a_wrong_password(client, member):
    wrong = post_login(client, member.kpj_number, "not the password at all")
    unknown = post_login(client, "99999999999", "not the password at all")
    unknown_email = post_login(client, "nobody@example.com", "not the password at all")

    assert wrong.status_code == unknown.status_code == unknown_email.status_code == 200
    for response in (wrong, unknown, unknown_email):
        assert GENERIC_FAILURE in response.content.decode()
    assert (
        LoginEvent.objects.filter(outcome=LoginEvent.Outcome.UNKNOWN_ACCOUNT).count()
        == 2
    )


@pytest.fixture
def argon2_runs(monkeypatch):
    """Every Argon2 computation (hash or verify) with its cost parameters.

    Timing is left to the bench (`make bench`, "unknown account vs wrong
    password"): a timed test flaked under load.
    """
    runs = []
    real_hash = argon2.low_level.hash_secret
    real_verify = argon2._password_hasher.verify_secret

    def hash_secret(secret, salt, **cost):  # Django's hasher: make_password
        runs.append(
            ("hash", cost["time_cost"], cost["memory_cost"], cost["parallelism"])
        )
        return real_hash(secret, salt, **cost)

    def verify_secret(encoded, secret, *args):  # check_password
        found = argon2.extract_parameters(encoded.decode())
        runs.append(("verify", found.time_cost, found.memory_cost, found.parallelism))
        return real_verify(encoded, secret, *args)

    monkeypatch.setattr(argon2.low_level, "hash_secret", hash_secret)
    monkeypatch.setattr(argon2._password_hasher, "verify_secret", verify_secret)
    return runs


PORTAL_COST = (
    PortalArgon2Hasher.time_cost,
    PortalArgon2Hasher.memory_cost,
    PortalArgon2Hasher.parallelism,
)


@pytest.mark.parametrize("who", ["unknown account", "wrong password", "locked"])
def test_every_failed_login_costs_one_argon2_run_at_the_portals_cost(
    client, member, argon2_runs, who
):
    """The same work for an unknown account as for a known one, so response
    time does not reveal which accounts exist."""
    if who == "locked":
        Member.objects.filter(pk=member.pk).update(locked_at=timezone.now())
    identifier = "99999999999" if who == "unknown account" else member.kpj_number

    post_login(client, identifier, "not the password at all")

    assert [run[1:] for run in argon2_runs] == [PORTAL_COST]


def test_wrong_captcha_refuses_without_checking_the_password(client, member, password):
    response = post_login(client, member.kpj_number, password, captcha_ok=False)

    assert response.status_code == 200
    assert "The characters do not match the image" in response.content.decode()
    assert GENERIC_FAILURE not in response.content.decode()
    assert "_auth_user_id" not in client.session
    member.refresh_from_db()
    assert member.failed_login_count == 0
    assert LoginEvent.objects.get().outcome == LoginEvent.Outcome.CAPTCHA_FAILED


def test_missing_captcha_is_refused(client, member, password):
    response = client.post(
        reverse("accounts:login"),
        {"identifier": member.kpj_number, "password": password},
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.get().outcome == LoginEvent.Outcome.CAPTCHA_FAILED


def test_captcha_answer_works_only_once(client, member, password):
    page = client.get(reverse("accounts:login")).content.decode()
    from tests.conftest import captcha_from_page

    key, answer = captcha_from_page(page)
    data = {"identifier": member.kpj_number, "captcha_0": key, "captcha_1": answer}
    client.post(reverse("accounts:login"), {**data, "password": "wrong password here"})
    replay = client.post(reverse("accounts:login"), {**data, "password": password})

    assert "_auth_user_id" not in client.session
    assert "The characters do not match the image" in replay.content.decode()


def test_fifth_failure_locks_the_account_and_emails_the_member(
    client, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(4):
            post_login(client, member.kpj_number, "not the password at all")
        member.refresh_from_db()
        assert not member.is_locked
        post_login(client, "SITI@example.com", "not the password at all")

    member.refresh_from_db()
    assert member.is_locked
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.com"]
    assert "locked" in mail.outbox[0].subject
    assert OutboxMessage.objects.get().sent_at is not None
    assert AuditEntry.objects.filter(action="member.locked", member=member).exists()


def test_locked_account_is_refused_even_with_the_right_password(
    client, member, password
):
    for _ in range(5):
        post_login(client, member.kpj_number, "not the password at all")

    response = post_login(client, member.kpj_number, password)

    assert response.status_code == 200
    assert GENERIC_FAILURE in response.content.decode()
    assert "Forgot your password?" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginEvent.objects.first().outcome == LoginEvent.Outcome.LOCKED


def test_success_resets_the_failure_count(client, member, password):
    for _ in range(4):
        post_login(client, member.kpj_number, "not the password at all")
    post_login(client, member.kpj_number, password)
    client.post(reverse("accounts:logout"))
    post_login(client, member.kpj_number, "not the password at all")

    member.refresh_from_db()
    assert member.failed_login_count == 1
    assert not member.is_locked


def test_session_key_changes_at_login(client, member, password):
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key

    post_login(client, member.kpj_number, password)

    assert client.session.session_key != before


def test_login_sets_the_members_language(client, member, password):
    member.preferred_language = "id"
    member.save()

    response = post_login(client, member.kpj_number, password)

    assert response.cookies["django_language"].value == "id"


def test_next_parameter_cannot_redirect_to_another_site(client, member, password):
    page = client.get(reverse("accounts:login"))
    from tests.conftest import captcha_from_page

    key, answer = captcha_from_page(page.content.decode())
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {
            "identifier": member.kpj_number,
            "password": password,
            "captcha_0": key,
            "captcha_1": answer,
            "next": "https://evil.example/",
        },
    )

    assert response.url == reverse("dashboard")


def test_logout_is_post_only(client, login, member):
    login(member)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_no_other_door_checks_passwords(client, member, password):
    assert authenticate(username=member.kpj_number, password=password) is None
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_passwords_are_stored_with_argon2id(member):
    assert member.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize("outcome_identifier", ["99999999999", "nobody@example.com"])
def test_one_address_spraying_many_accounts_gets_429(
    client, settings, outcome_identifier
):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    for _ in range(3):
        assert (
            post_login(client, outcome_identifier, "wrong password 123").status_code
            == 200
        )

    response = post_login(client, outcome_identifier, "wrong password 123")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 15 * 60
    assert LoginEvent.objects.first().outcome == LoginEvent.Outcome.THROTTLED


def test_throttle_is_per_address(client, member, password, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 2
    for _ in range(2):
        post_login(client, "99999999999", "wrong password 123", REMOTE_ADDR="10.0.0.9")

    response = post_login(client, member.kpj_number, password, REMOTE_ADDR="10.0.0.10")

    assert response.status_code == 302


def test_forged_forwarded_for_does_not_escape_the_throttle(client, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(2):
        post_login(
            client,
            "99999999999",
            "wrong password 123",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}",
        )

    response = post_login(client, "99999999999", "x", HTTP_X_FORWARDED_FOR="9.9.9.9")

    assert response.status_code == 429


def test_client_address_comes_from_the_trusted_proxy_hop(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    post_login(
        client,
        member.kpj_number,
        "wrong password 123",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
        REMOTE_ADDR="10.0.0.2",
    )

    assert LoginEvent.objects.get().ip == "203.0.113.7"
