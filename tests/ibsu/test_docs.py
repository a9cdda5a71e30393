"""README and SECURITY.md say what the code does."""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
SECURITY = (ROOT / "SECURITY.md").read_text()


def _project_commands() -> set[str]:
    return {
        name
        for name, app in get_commands().items()
        if (ROOT / app.replace(".", "/")).is_dir()
        and not app.startswith(("django", "captcha"))
    }


def test_the_readme_lists_every_management_command_the_project_ships():
    listed = set(re.findall(r"^\| `(\w+)", README, re.MULTILINE))

    assert {"cleanup", "seed_demo", "unlock_account"} <= _project_commands()
    assert _project_commands() <= listed


def test_the_docs_describe_seed_demos_guard():
    source = (ROOT / "demo/management/commands/seed_demo.py").read_text()

    assert "--allow-without-debug" in source
    assert "no guard" not in SECURITY
    for text in (README, SECURITY):
        assert "--allow-without-debug" in text


def test_the_docs_say_secret_bodies_are_cleared_and_old_mail_deleted():
    assert "clearing sensitive bodies after sending is recommended" not in SECURITY
    for text in (README, SECURITY):
        assert "cleared once sent" in text or "bodies are cleared" in text
        assert "OUTBOX_RETENTION_DAYS" in text
