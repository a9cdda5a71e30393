"""`seed_demo` ends with the logins; each demo email is one line, not a MIME dump."""

import pytest
from django.core.management import call_command

from outbox.models import OutboxMessage

# Commits for real, so the demo's emails are sent inside the command as in
# `make run` (a test transaction would send them after it returned).
pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_demo_prints_one_line_per_mail_then_the_logins(
    settings, capsys, statutory_figures
):
    settings.EMAIL_BACKEND = "ibsu.lib.console_mail.EmailBackend"  # make run's

    call_command("seed_demo", "--allow-without-debug")

    output = capsys.readouterr().out
    lines = output.splitlines()
    mail_lines = [line for line in lines if line.startswith("  mail to ")]
    sent = OutboxMessage.objects.exclude(sent_at=None)
    assert len(mail_lines) == sent.count() > 0
    assert {line.split(": ", 1)[1] for line in mail_lines} == {
        message.subject for message in sent
    }
    assert "Content-Type" not in output
    assert "MIME-Version" not in output
    ready = lines.index("Demo data ready. Sign in at /accounts/login/ with:")
    assert lines.index(mail_lines[-1]) < ready
    assert (
        "12345678901 or siti@example.com  password: Demo-Portal-2026!"
        in (lines[ready + 1])
    )
