from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Member

DEMO_PASSWORD = "Demo-Portal-2026!"  # noqa: S105 - printed for demo logins on purpose

# (KPJ, NIK, name, birth date, email, staff)
DEMO_MEMBERS = [
    (
        "12345678901",
        "3171015405880001",
        "Siti Rahayu",
        date(1988, 5, 14),
        "siti@example.com",
        False,
    ),
    (
        "12345678902",
        "3273012208850002",
        "Budi Santoso",
        date(1985, 8, 22),
        "budi@example.com",
        False,
    ),
    (
        "90000000001",
        "3174014701900003",
        "Dewi Petugas",
        date(1990, 1, 7),
        "staff@example.com",
        True,
    ),
]


class Command(BaseCommand):
    help = (
        "Create the demo members and staff user with known passwords. Safe to run "
        "again: existing demo accounts are reset to the demo password and unlocked."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for kpj, nik, name, born, email, staff in DEMO_MEMBERS:
            member = Member.objects.filter(kpj_number=kpj).first() or Member(
                kpj_number=kpj
            )
            member.nik, member.full_name, member.date_of_birth = nik, name, born
            member.email, member.email_verified = email, True
            member.is_staff = member.is_superuser = staff
            member.locked_at, member.failed_login_count = None, 0
            member.set_password(DEMO_PASSWORD)
            member.full_clean()
            member.save()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:")
        )
        for kpj, _nik, _name, _born, email, staff in DEMO_MEMBERS:
            role = "staff (also /admin/)" if staff else "member"
            self.stdout.write(
                f"  {role:22} {kpj} or {email}  password: {DEMO_PASSWORD}"
            )
