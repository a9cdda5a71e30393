import pytest
from django.urls import reverse

from tests.conftest import post_login

pytestmark = pytest.mark.django_db


def test_dashboard_needs_login(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=/"


def test_dashboard_greets_the_member_and_shows_previous_sign_in(client, login, member):
    login(member)
    client.post(reverse("accounts:logout"))
    post_login(client, member.kpj_number, "wrong password 123", REMOTE_ADDR="10.1.1.1")
    login(member)

    html = client.get(reverse("dashboard")).content.decode()

    assert "Hello, Siti" in html
    assert member.kpj_number in html
    assert "127.0.0.1" in html  # the previous successful sign-in, not this one
    assert reverse("accounts:activity") in html


def test_first_sign_in_says_so(client, login, member):
    login(member)

    assert (
        "This is your first sign-in."
        in client.get(reverse("dashboard")).content.decode()
    )


def test_dashboard_speaks_the_members_language(client, login, member):
    member.preferred_language = "id"
    member.save()
    login(member)

    html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="id">' in html
    assert "Halo, Siti" in html


def test_language_switcher_changes_the_language(client):
    response = client.post(
        reverse("set_language"), {"language": "id", "next": "/accounts/login/"}
    )
    html = client.get(reverse("accounts:login")).content.decode()

    assert response.status_code == 302
    assert '<html lang="id">' in html
    assert "Masuk" in html


def test_query_count_of_dashboard_is_constant(
    client, login, member, django_assert_max_num_queries
):
    login(member)

    with django_assert_max_num_queries(10):
        assert client.get(reverse("dashboard")).status_code == 200
