import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ibsu.lib.logging import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_member_page_is_not_cached_and_carries_the_security_headers(
    client, login, member
):
    login(member)

    response = client.get(reverse("dashboard"))

    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert len(response["X-Request-ID"]) == 32


def test_anonymous_page_has_the_headers_too(client):
    response = client.get(reverse("accounts:login"))

    assert "Content-Security-Policy" in response
    assert "Permissions-Policy" in response
    assert "no-cache" in response["Cache-Control"]  # never_cache on the login form


def test_trace_is_refused(client):
    assert client.generic("TRACE", "/").status_code == 405


def test_a_request_id_from_our_proxy_is_kept_and_junk_is_replaced(client):
    kept = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID="abcd-1234-efgh")
    replaced = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID="<script>")

    assert kept["X-Request-ID"] == "abcd-1234-efgh"
    assert replaced["X-Request-ID"] != "<script>"


def test_not_found_page_is_friendly_and_shows_the_reference(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="ref-12345678")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "ref-12345678" in html


def test_maintenance_mode_shows_members_a_page_while_admin_and_health_work(
    client, login, member, settings
):
    login(member)
    settings.MAINTENANCE_MODE = True

    page = client.get(reverse("dashboard"))

    assert page.status_code == 503
    assert page["Retry-After"] == "600"
    assert "maintenance" in page.content.decode()
    assert client.get("/healthz").status_code == 200
    assert client.get("/admin/").status_code != 503


def test_maintenance_flag_file_switches_it_on(client, settings, tmp_path):
    flag = tmp_path / "maintenance.flag"
    settings.MAINTENANCE_FLAG_FILE = str(flag)
    assert client.get(reverse("accounts:password_reset")).status_code == 200

    flag.touch()

    assert client.get(reverse("accounts:password_reset")).status_code == 503


def test_captcha_refresh_is_rate_limited(client, settings):
    settings.CAPTCHA_REFRESH_LIMIT = 2
    headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    for _ in range(2):
        assert client.get("/captcha/refresh/", **headers).status_code == 200

    response = client.get("/captcha/refresh/", **headers)

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord(
        "ibsu", logging.WARNING, __file__, 1, "hello %s", ("x",), None
    )
    RequestIdFilter().filter(record)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "hello x"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "-"


def deploy_check(**overrides) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "Xq3v-9mZ!pL0w_tR8s#kD2yH6nB4jF7cG1aE5uI0oP9lK3zM8xN2vC6bQ4wT7rY",
        "ALLOWED_HOSTS": "portal.example",
        "CACHE_URL": "redis://127.0.0.1:6379/1",  # not connected to by the check
        "DJANGO_SETTINGS_MODULE": "ibsu.settings",
        **overrides,
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the latter: e2e
        env.pop(name, None)
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check():
    result = deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_asks_for_a_shared_cache():
    result = deploy_check(CACHE_URL=None)

    assert result.returncode != 0
    assert "ibsu.W001" in result.stdout + result.stderr


def test_production_cookies_use_host_prefixes():
    code = "import ibsu.settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "y" * 60,
        "ALLOWED_HOSTS": "p.example",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken"]


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [
        ("redis://127.0.0.1:6379/1", "django.contrib.sessions.backends.cached_db"),
        # Each process's memory would keep a signed-out session alive elsewhere.
        (None, "django.contrib.sessions.backends.db"),
    ],
)
def test_sessions_are_read_through_a_shared_cache_only(cache_url, engine):
    env = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    if cache_url:
        env["CACHE_URL"] = cache_url
    result = subprocess.run(
        [sys.executable, "-c", "import ibsu.settings as s; print(s.SESSION_ENGINE)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == engine


def test_demo_accounts_are_refused_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo", stdout=io.StringIO())
