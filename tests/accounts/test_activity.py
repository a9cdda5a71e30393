import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import LoginEvent
from tests.conftest import post_login

pytestmark = pytest.mark.django_db

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)


def test_member_sees_own_attempts_newest_first(client, login, member, other_member):
    post_login(
        client, member.kpj_number, "wrong password 123", HTTP_USER_AGENT=CHROME_ANDROID
    )
    post_login(
        client, other_member.kpj_number, "wrong password 123", REMOTE_ADDR="10.9.9.9"
    )
    login(member)

    html = client.get(reverse("accounts:activity")).content.decode()

    assert "Chrome · Android" in html
    assert html.index("Signed in") < html.index("Wrong password")
    assert "10.9.9.9" not in html


def test_activity_needs_login(client):
    response = client.get(reverse("accounts:activity"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_activity_query_count_does_not_grow_with_history(client, login, member):
    login(member)

    def queries_for_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:activity")).status_code == 200
        return len(queries)

    queries_for_page()  # the first view after sign-in also saves the session
    short_history = queries_for_page()
    LoginEvent.objects.bulk_create(
        LoginEvent(
            member=member, outcome=LoginEvent.Outcome.BAD_PASSWORD, ip="10.0.0.1"
        )
        for _ in range(60)
    )

    assert queries_for_page() == short_history <= 8
