"""docker-compose.yml, read since no Docker engine runs here: pinned images,
health checks, start order on health, and the settings each app process needs."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# What ibsu/settings.py requires with DEBUG=0, and what a working stack needs.
REQUIRED_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "EMAIL_URL",
}
_VARIABLE = re.compile(r"\$\{(\w+)(?::[?-]([^}]*))?\}")
TEST_SECRET = "compose-test-key-Xq3v9mZpL0wtR8skD2yH6nB4jF7cG1aE5uI0oP9l"


def _interpolate(text: str) -> str:
    """Compose's ${VAR:?message} and ${VAR:-default}, as `docker compose` would
    fill them with SECRET_KEY set and nothing else."""

    def value(match: re.Match) -> str:
        if match[1] == "SECRET_KEY":
            return TEST_SECRET
        return match[2] if match[0].startswith(f"${{{match[1]}:-") else ""

    return _VARIABLE.sub(value, text)


@pytest.fixture(scope="module")
def services() -> dict:
    text = _interpolate((ROOT / "docker-compose.yml").read_text())
    return yaml.safe_load(text)["services"]


def _one_shot(service: dict) -> bool:
    return service.get("restart") == "no"


def test_every_image_is_pinned(services):
    for name, service in services.items():
        image = service["image"]
        repository, _, tag = image.rpartition(":")
        assert repository and tag, f"{name}: {image} has no tag"
        if "build" in service:
            continue  # built here from the Dockerfile, whose base is pinned
        assert re.search(r"\d+\.\d+", tag), f"{name}: {image} floats"
    base = re.search(r"^FROM (\S+)", (ROOT / "Dockerfile").read_text(), re.M)[1]
    assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", base)


def test_every_long_running_service_has_a_health_check(services):
    for name, service in services.items():
        if _one_shot(service):
            continue  # migrate runs once; the others wait for it to complete
        check = service.get("healthcheck", {})
        assert not check.get("disable") and check.get("test"), name
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    assert "celerybeat-schedule" in " ".join(services["beat"]["healthcheck"]["test"])


def test_services_start_once_what_they_need_is_healthy(services):
    for name, service in services.items():
        for needed, how in service.get("depends_on", {}).items():
            wanted = (
                "service_completed_successfully"
                if _one_shot(services[needed])
                else "service_healthy"
            )
            assert how["condition"] == wanted, f"{name} -> {needed}"
    assert "worker" in services["beat"]["depends_on"]


def _app_services(services) -> dict:
    return {name: s for name, s in services.items() if "build" in s}


def test_app_processes_get_the_environment_the_settings_require(services):
    apps = _app_services(services)
    assert set(apps) == {"migrate", "web", "worker", "beat"}
    for name, service in apps.items():
        missing = REQUIRED_ENV - set(service["environment"])
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_the_settings_accept_that_environment(services, tmp_path):
    environment = {k: str(v) for k, v in services["web"]["environment"].items()}
    environment["PRIVATE_ROOT"] = str(tmp_path)  # the volume; no /app here
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
