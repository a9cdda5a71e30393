import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ibsu.lib.env import email_settings, envbool, envint

ROOT = Path(__file__).resolve().parents[2]


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import ibsu.settings"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings(DEBUG="0", ALLOWED_HOSTS="portal.example")

    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_settings(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="")

    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_both():
    result = _import_settings(
        DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="portal.example"
    )

    assert result.returncode == 0, result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("y" * 60 + "\n")
    code = "import ibsu.settings as s; print(s.SECRET_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY_FILE": str(secret)},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "y" * 60


def test_nonsense_values_stop_the_process(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "five")

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        envbool("DEBUG", True)
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT"):
        envint("LOGIN_FAILURE_LIMIT", 5)


def test_email_url_forms():
    assert email_settings("")["EMAIL_BACKEND"] == "ibsu.lib.console_mail.EmailBackend"
    smtp = email_settings("smtp+tls://user%40x:p%2Fw@mail.example:587")
    assert smtp["EMAIL_HOST"] == "mail.example"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "user@x"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p/w"
    assert smtp["EMAIL_USE_TLS"] is True
    assert email_settings("smtps://mail.example")["EMAIL_PORT"] == 465
    with pytest.raises(ImproperlyConfigured):
        email_settings("ftp://mail.example")
