"""`make run` and `make test` stop at once on a bare machine, naming what to install."""

import os
import subprocess
from pathlib import Path

from ibsu.lib import system_packages

ROOT = Path(__file__).resolve().parents[2]
SUBSET = "libharfbuzz-subset.so.0"
MAKE_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}


def _all_there(name):
    return True


def _without_subset(name):
    return name != SUBSET


def test_a_machine_without_harfbuzz_subset_is_told_the_debian_package():
    missing = system_packages.missing_pdf_packages(
        loadable=_without_subset, exists=lambda path: True
    )

    assert missing == ["libharfbuzz-subset0"]


def test_a_machine_without_the_font_is_told_fonts_dejavu_core():
    missing = system_packages.missing_pdf_packages(
        loadable=_all_there, exists=lambda path: False
    )

    assert missing == ["fonts-dejavu-core"]


def test_preflight_fails_with_the_apt_get_line(monkeypatch, capsys):
    monkeypatch.setattr(
        system_packages, "missing_pdf_packages", lambda: ["libharfbuzz-subset0"]
    )

    assert system_packages.main([]) == 1
    assert "apt-get install -y libharfbuzz-subset0" in capsys.readouterr().err


def test_preflight_passes_without_chromium_but_says_browser_tests_are_skipped(
    monkeypatch, capsys
):
    monkeypatch.setattr(system_packages, "missing_pdf_packages", lambda: [])
    monkeypatch.setattr(system_packages, "missing_browser_packages", lambda: ["x"])

    assert system_packages.main(["--tests"]) == 0
    assert "apt-get install chromium" in capsys.readouterr().err


def test_ci_is_told_every_missing_package(monkeypatch, capsys):
    monkeypatch.setattr(
        system_packages, "missing_pdf_packages", lambda: ["libharfbuzz-subset0"]
    )
    monkeypatch.setattr(
        system_packages, "missing_browser_packages", lambda: ["chromium"]
    )

    assert system_packages.main(["--missing"]) == 0
    assert capsys.readouterr().out.split() == ["libharfbuzz-subset0", "chromium"]
    assert "system_packages.py --missing" in (ROOT / ".ci" / "run").read_text()


def _first_command(target: str) -> str:
    # -n prints the recipe without running it; a missing .venv makes make
    # plan the whole install, which must come after the check.
    # Run from `make test` itself: the outer make's variables must not leak in.
    env = {k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES}
    dry_run = subprocess.run(
        ["make", "-n", "--no-print-directory", target, "VENV=/nonexistent-venv"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dry_run.stdout.splitlines()[0]


def test_make_test_checks_system_packages_before_installing_anything():
    assert "ibsu/lib/system_packages.py --tests" in _first_command("test")


def test_make_run_checks_system_packages_before_installing_anything():
    assert "ibsu/lib/system_packages.py" in _first_command("run")
