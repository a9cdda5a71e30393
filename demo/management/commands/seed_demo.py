from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Member
from contributions.selectors import checks_for_member
from demo.claims import seed_claims
from demo.contributions import seed_contribution_histories
from ibsu.lib.console_mail import one_line_per_mail

DEMO_PASSWORD = "Demo-Portal-2026!"  # noqa: S105 - printed for demo logins on purpose  # nosec B105
# The demo staff user's authenticator secret (base32 NFRHG5JNMRSW23ZNON2GCZTGFVVWK6JB),
# so the demo admin can be reached; never use a known secret outside the demo.
DEMO_STAFF_TOTP_KEY = "696273752d64656d6f2d73746166662d6b657921"
DEMO_STAFF_TOTP_SECRET = "NFRHG5JNMRSW23ZNON2GCZTGFVVWK6JB"  # noqa: S105 - published demo secret  # nosec B105

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
# Members the agency registered who have not activated the portal yet:
# try them at /accounts/activate/ (KPJ, NIK, date of birth, any new email).
DEMO_UNACTIVATED = [
    ("12345678903", "3578016306920004", "Rina Wulandari", date(1992, 6, 23)),
    ("12345678904", "5171011011870005", "Made Wirawan", date(1987, 11, 10)),
]


class Command(BaseCommand):
    help = (
        "Create the demo members, the staff user (with an authenticator) and two "
        "members still to activate. Safe to run again: demo accounts are reset to "
        "the demo password, unlocked, and the unactivated ones lose any password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="seed even with DEBUG off (test and benchmark databases only)",
        )

    def handle(self, *args, **options):
        # Demo accounts have published passwords and a published staff secret:
        # never let a production deployment get them by accident.
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off. "
                "Use --allow-without-debug only on a test or benchmark database."
            )
        # Report after the commit: the demo's notice emails are sent then (one
        # line each on the development console), and the logins come last.
        with one_line_per_mail(), transaction.atomic():
            counts = self._seed()
        self._report()
        self.stdout.write(
            "  {} demo contributions and {} claims for Siti and Budi.".format(*counts)
        )
        self._report_warnings()

    def _seed(self) -> tuple[int, int]:
        for kpj, nik, name, born, email, staff in DEMO_MEMBERS:
            member = self._member(kpj, nik, name, born)
            member.email, member.email_verified = email, True
            member.is_staff = member.is_superuser = staff
            member.set_password(DEMO_PASSWORD)
            member.full_clean()
            member.save()
            if staff:
                TOTPDevice.objects.update_or_create(
                    user=member,
                    name="demo authenticator",
                    defaults={
                        "key": DEMO_STAFF_TOTP_KEY,
                        "confirmed": True,
                        "last_t": -1,
                    },
                )
        for kpj, nik, name, born in DEMO_UNACTIVATED:
            member = self._member(kpj, nik, name, born)
            member.email, member.email_verified = "", False
            member.set_unusable_password()
            member.full_clean(exclude=["password"])
            member.save()
        today = timezone.localdate()
        contributions = seed_contribution_histories(today=today)
        claims = seed_claims(
            staff=Member.objects.get(kpj_number="90000000001"), today=today
        )
        return contributions, claims

    @staticmethod
    def _member(kpj, nik, name, born) -> Member:
        member = Member.objects.filter(kpj_number=kpj).first() or Member(kpj_number=kpj)
        member.nik, member.full_name, member.date_of_birth = nik, name, born
        member.locked_at, member.failed_login_count = None, 0
        return member

    def _report(self):
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in at /accounts/login/ with:")
        )
        for kpj, _nik, _name, _born, email, staff in DEMO_MEMBERS:
            role = "staff (also /admin/)" if staff else "member"
            self.stdout.write(
                f"  {role:22} {kpj} or {email}  password: {DEMO_PASSWORD}"
            )
        self.stdout.write(
            "  The staff user's second step: authenticator secret "
            f"{DEMO_STAFF_TOTP_SECRET}\n"
            '  (current code: .venv/bin/python -c "import pyotp; '
            f"print(pyotp.TOTP('{DEMO_STAFF_TOTP_SECRET}').now())\")"
        )
        self.stdout.write(
            "  To activate at /accounts/activate/ (KPJ, NIK, date of birth):"
        )
        for kpj, nik, name, born in DEMO_UNACTIVATED:
            self.stdout.write(f"    {kpj}  {nik}  {born:%d-%m-%Y}  {name}")

    def _report_warnings(self):
        """What each demo member's contributions page warns about: the problems
        planted in demo.contributions, worked out by the real checks."""
        today = timezone.localdate()
        self.stdout.write("  Contribution warnings on each demo member's page:")
        with translation.override("en"):
            for kpj, _nik, name, _born, _email, staff in DEMO_MEMBERS:
                if staff:
                    continue
                member = Member.objects.get(kpj_number=kpj)
                warnings = checks_for_member(member=member, today=today).warnings
                self.stdout.write(f"    {name}: {len(warnings) or 'none'}")
                for w in warnings:
                    months = f"{w.first:%Y-%m}" + (
                        f" to {w.last:%Y-%m}" if w.last != w.first else ""
                    )
                    self.stdout.write(f"      - {w.label}: {w.employer_name}, {months}")
