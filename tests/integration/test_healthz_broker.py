"""/healthz asks the real broker, not the in-process stand-in."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_healthz_is_503_when_the_broker_is_unreachable(
    client, celery, unreachable_broker_url
):
    celery.use_broker(unreachable_broker_url)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "unreachable",
    }


def test_healthz_is_ok_with_the_real_redis(client, celery, redis_url):
    celery.use_broker(redis_url)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
