import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from tests.conftest import post_login
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_member(member):
    member.locked_at = timezone.now()
    member.failed_login_count = 5
    member.save()
    return member


def test_staff_sees_locked_accounts_with_the_filter(
    client, login, verified_staff, locked_member
):
    MemberFactory(full_name="Open Account")
    login(verified_staff)

    response = client.get(reverse("admin:accounts_member_changelist") + "?locked=yes")

    assert response.status_code == 200
    html = response.content.decode()
    assert locked_member.kpj_number in html
    assert "Open Account" not in html


def test_staff_unlocks_with_the_admin_action(
    client,
    login,
    verified_staff,
    locked_member,
    password,
    django_capture_on_commit_callbacks,
):
    login(verified_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_member_changelist"),
            {"action": "unlock_selected", "_selected_action": [locked_member.pk]},
            follow=True,
        )

    assert "1 account unlocked." in response.content.decode()
    locked_member.refresh_from_db()
    assert not locked_member.is_locked
    assert locked_member.failed_login_count == 0
    entry = AuditEntry.objects.get(action="member.unlocked")
    assert entry.member == locked_member
    assert entry.actor == verified_staff
    assert entry.data == {"via": "admin"}
    assert [m.to for m in mail.outbox] == [[locked_member.email]]
    assert "unlocked" in mail.outbox[0].subject
    client.post(reverse("accounts:logout"))
    assert post_login(client, locked_member.kpj_number, password).status_code == 302


def test_member_without_staff_rights_cannot_reach_admin(client, login, member):
    login(member)

    response = client.get(reverse("admin:accounts_member_changelist"))

    assert response.status_code == 302
    assert "login" in response.url


def test_unlock_command_unlocks_by_kpj_or_email(locked_member, capsys):
    call_command("unlock_account", "SITI@example.com")

    locked_member.refresh_from_db()
    assert not locked_member.is_locked
    assert "Unlocked" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="member.unlocked")
    assert entry.actor is None
    assert entry.data == {"via": "command"}


def test_unlock_command_is_safe_to_run_twice(locked_member, capsys):
    call_command("unlock_account", locked_member.kpj_number)
    call_command("unlock_account", locked_member.kpj_number)

    assert "not locked; nothing changed" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="member.unlocked").count() == 1


def test_unlock_command_fails_for_an_unknown_member(db):
    with pytest.raises(CommandError, match="No member"):
        call_command("unlock_account", "99999999999")


def test_locked_accounts_lists_only_locked_members_with_masked_email(
    locked_member, capsys
):
    MemberFactory(full_name="Open Account")

    call_command("locked_accounts")

    out = capsys.readouterr().out
    assert locked_member.kpj_number in out
    assert "s***@example.com" in out
    assert "siti@example.com" not in out
    assert "Open Account" not in out
    assert "1 locked account(s)." in out
