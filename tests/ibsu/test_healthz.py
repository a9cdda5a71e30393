import pytest
from django.db import connections


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client):
    # A second connection to a database that is not there, swapped in for the
    # request; the test database itself stays untouched.
    original = connections["default"]
    unreachable = dict(original.settings_dict)
    if original.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-dir/unreachable.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT="1")  # nothing listens there
    broken = original.__class__(unreachable, alias="default")
    connections["default"] = broken
    try:
        response = client.get("/healthz")
    finally:
        broken.close()
        connections["default"] = original

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["status"] == "error"
