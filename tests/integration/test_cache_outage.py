"""Sessions and members' figures in a real Redis, and what an outage does."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.integration.conftest import redis_client

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
HISTORY = reverse("contributions:history")


@pytest.fixture
def redis_cache(settings, throwaway_redis):
    """The portal's cache backend on a private redis-server."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ibsu.lib.redis_cache.PortalRedisCache",
            "LOCATION": throwaway_redis.url,
        }
    }
    return throwaway_redis


def test_a_signed_in_page_finds_the_session_in_redis(
    client, login, member, redis_cache
):
    login(member)
    client.get(DASHBOARD)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(DASHBOARD).status_code == 200

    assert not [q for q in queries if Session._meta.db_table in q["sql"]]
    assert redis_client(redis_cache.port).keys("*sessions.cached_db*")


def test_signed_in_pages_keep_working_while_redis_is_away(
    client, login, member, redis_cache
):
    login(member)
    client.get(DASHBOARD)  # the session and the figures are in Redis now
    redis_cache.kill()

    started = time.monotonic()
    for path in (DASHBOARD, HISTORY):
        assert client.get(path).status_code == 200

    assert time.monotonic() - started < 2  # no waiting on retries


def test_signing_out_fails_closed_while_redis_is_away(
    client, login, member, redis_cache
):
    login(member)
    client.get(DASHBOARD)
    redis_cache.kill()

    # The copy in Redis could not be deleted: an error page, and the session
    # is gone from the database, so it cannot be used again.
    with pytest.raises(RedisConnectionError):
        client.post(reverse("accounts:logout"))
    assert not Session.objects.exists()


def test_signing_in_while_redis_is_away(client, login, member, redis_cache):
    redis_cache.kill()

    login(member)

    assert client.get(DASHBOARD).status_code == 200
