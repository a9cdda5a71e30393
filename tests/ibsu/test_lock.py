"""Installs are reproducible: every package, direct or not, is locked with hashes,
and every install path (make, CI through make, the Dockerfile) uses the lock."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)$")


def _name(raw: str) -> str:
    return re.sub(r"[-_.]+", "-", raw).lower()


def _lock(name: str) -> dict[str, tuple[str, int]]:
    """package -> (version, number of hashes), from a pip-compile output."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / name).read_text().splitlines():
        if match := _PIN.match(line):
            current = _name(match[1])
            entries[current] = (match[2].rstrip(" \\"), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"{name}: not a pinned requirement: {line}")
    return entries


def _direct(group: str | None) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = (
        project["dependencies"]
        if group is None
        else project["optional-dependencies"][group]
    )
    pins = {}
    for requirement in listed:
        match = _REQUIREMENT.match(requirement.split(";")[0].strip())
        assert match, f"pyproject.toml: {requirement} is not pinned with =="
        pins[_name(match[1])] = match[2]
    return pins


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_every_locked_package_is_pinned_with_a_hash(name):
    lock = _lock(name)

    assert len(lock) > 40
    assert [package for package, (_v, hashes) in lock.items() if not hashes] == []


def test_the_locks_hold_pyprojects_pins_and_agree_with_each_other():
    runtime, dev = _lock("requirements.txt"), _lock("requirements-dev.txt")

    for package, version in _direct(None).items():
        assert runtime[package][0] == version, package
    for package, version in _direct("dev").items():
        assert dev[package][0] == version, package
    assert {p: v for p, (v, _h) in runtime.items()} == {p: dev[p][0] for p in runtime}


def test_make_and_the_image_install_from_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert "LOCK := requirements-dev.txt" in makefile
    assert "STAMP := $(VENV)/.installed-$(shell cksum < $(LOCK)" in makefile
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "pip install --no-cache-dir --require-hashes -r requirements.txt" in (
        dockerfile
    )
    assert "make test" in (ROOT / ".ci" / "run").read_text()
