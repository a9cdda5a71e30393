"""`make run` serves where it is told and says so in every link it makes."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAKE_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "SITE_URL"}
# Stands in for the venv's python: notes the SITE_URL each command would see.
FAKE_PYTHON = '#!/bin/sh\necho "$SITE_URL $*" >> "$(dirname "$0")/../calls"\n'


@pytest.fixture
def fake_venv(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    lock = (ROOT / "requirements-dev.txt").read_bytes()
    checksum = subprocess.run(
        ["cksum"], input=lock, capture_output=True, check=True
    ).stdout.split()[0]
    (venv / f".installed-{checksum.decode()}").touch()  # installed already
    return venv


def _make_run(venv: Path, *args: str, **env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        check=True,
    )
    return (venv / "calls").read_text().splitlines()


def test_site_url_follows_the_port(fake_venv):
    calls = _make_run(fake_venv, "PORT=8200")

    assert calls == [
        "http://127.0.0.1:8200 manage.py migrate --noinput",
        "http://127.0.0.1:8200 manage.py seed_demo",
        "http://127.0.0.1:8200 manage.py runserver 127.0.0.1:8200",
    ]


def test_a_site_url_that_is_set_is_kept(fake_venv):
    calls = _make_run(fake_venv, "PORT=8200", SITE_URL="https://portal.example")

    assert {call.split()[0] for call in calls} == {"https://portal.example"}
