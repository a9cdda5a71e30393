"""Hostile text in any URL parameter is a 404 at the resolver, never a 500.

PostgreSQL refuses a NUL byte in a query, so `/verify/%00abc/` used to answer
500 there. Every route that takes a parameter (walked from the URLconf, as in
the authorization sweep) is sent each value below, signed in and not: none may
resolve, so no view, signature check or query ever sees it.
"""

import re

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from documents.models import GeneratedDocument
from tests.security.test_authorization_sweep import routes_with_parameters

pytestmark = pytest.mark.django_db

HOSTILE = {
    "nul": "\x00abc",
    "10 kB": "A" * 10_240,
    "rtl override": "\u202eFDP.exe",
    "emoji": "\U0001f600\U0001f4a9\U0001f600\U0001f4a9",
}
# Django's own admin and its object ids are behind staff sign-in and 2FA.
SKIP_APPS = {"admin"}
_PARAMETER = re.compile(r"<[^>]+>|\(\?P<\w+>[^)]*\)")


def _paths(value: str) -> list[tuple[str, str]]:
    routes = [
        route
        for route in routes_with_parameters().values()
        if not SKIP_APPS & set(route.app_names)
    ]
    assert {"documents:verify", "accounts:activate_confirm"} <= {
        route.key for route in routes
    }
    return [
        (route.key, "/" + _PARAMETER.sub(value, route.route).strip("^$"))
        for route in routes
    ]


@pytest.mark.parametrize("what", HOSTILE)
def test_no_route_resolves_a_hostile_parameter(what):
    for key, path in _paths(HOSTILE[what]):
        with pytest.raises(Resolver404):
            resolve(path)
            pytest.fail(f"{key} resolved {what}")


@pytest.mark.parametrize("what", HOSTILE)
def test_hostile_parameters_are_a_404_signed_in_or_not(member, login, what):
    for client in (Client(), login(member)):
        for key, path in _paths(HOSTILE[what]):
            assert client.get(path).status_code == 404, key


def test_a_well_formed_unknown_code_still_gets_the_verify_page(client):
    response = client.get(reverse("documents:verify", args=["ABCD-EFGH-JKLM"]))

    assert response.status_code == 404
    assert "documents/verify.html" in [t.name for t in response.templates]
    assert GeneratedDocument.objects.count() == 0
