"""The bench's dataset, its sessions and its import file.

    python -m bench.dataset build         # members, careers, the heavy member
    python -m bench.dataset sessions      # logged-in sessions, as JSON
    python -m bench.dataset import-file OUT.csv OUT-ids.csv
    python -m bench.dataset import-cleanup

Run by bench/run.py with the bench's environment (bench/config.py). Ordinary
members are made with bulk_create and their contributions with one set-based
INSERT ... SELECT, the amounts computed by PostgreSQL from the statutory rates
the product's RateBook gives for each month, so ~2 million rows take about a
minute. The heavy member is made through the ORM, amount by amount.
"""

import argparse
import io
import json
import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from PIL import Image  # noqa: E402

from accounts.middleware import AUTH_TIME_KEY  # noqa: E402
from accounts.models import LoginEvent, Member  # noqa: E402
from bench.config import (  # noqa: E402
    HEAVY_KPJ,
    HEAVY_PASSWORD,
    MEMBER_PASSWORD,
    SCALES,
    dataset_key,
)
from claims.models import Claim, ClaimDocument, ClaimEvent  # noqa: E402
from contributions.checks import next_month  # noqa: E402
from contributions.due_dates import PaymentCalendar  # noqa: E402
from contributions.importer import COLUMNS  # noqa: E402
from contributions.models import (  # noqa: E402
    Contribution,
    DevelopmentRate,
    Employer,
    Employment,
)
from contributions.rates import RateBook  # noqa: E402
from demo.contributions import DEMO_RETURNS  # noqa: E402
from documents.models import GeneratedDocument  # noqa: E402

SCALE = SCALES[os.environ.get("BENCH_SCALE", "full")]
MARKER = "bench_dataset"
BULK_KPJ_BASE = 70_000_000_000
STAFF_KPJ = "90000000009"
PROVINCES = ("31", "32", "33", "35", "36", "51", "64", "73")
# Employers that exist only for the import measurement; their rows are removed after.
IMPORT_EMPLOYERS = 5
IMPORT_NPP = "IM{:06d}"
HEAVY_EMPLOYERS = [
    # NPP, name, risk class, province, first period, last period (None: ongoing)
    ("HV000001", "PT Samudra Logistik Nusantara", 3, "31", date(1986, 11, 1)),
    ("HV000002", "PT Cahaya Elektronika Indonesia", 2, "32", date(2000, 1, 1)),
    ("HV000003", "PT Garuda Data Sejahtera", 1, "31", date(2013, 1, 1)),
]
HEAVY_GAP = {date(2023, 3, 1), date(2023, 4, 1), date(2023, 5, 1)}
HEAVY_LATE = {date(2024, 1, 1): date(2024, 3, 25)}
# The heavy member's statement: ten years at one employer, 120 rows.
STATEMENT_YEARS = (2001, 2010)


def last_paid_period(today: date) -> date:
    """The last month whose contribution was due before today."""
    period = today.replace(day=1)
    calendar = PaymentCalendar.load()
    while calendar.due_date(period) >= today:
        period = date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)
    return period


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(period: date) -> date:
    return next_month(period) - timedelta(days=1)


# --- marker ----------------------------------------------------------------------


def marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {MARKER} WHERE key = 'dataset'")  # noqa: S608
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def expected_marker() -> dict:
    return dataset_key(SCALE)


def write_marker(info: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (key text PRIMARY KEY, value text)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES ('dataset', %s) "  # noqa: S608
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(info)],
        )


# --- build -----------------------------------------------------------------------


def build() -> dict:
    current = marker()
    wanted = expected_marker()
    if current and {k: current.get(k) for k in wanted} == wanted:
        return {**current, "reused": True}
    if Member.objects.filter(kpj_number=HEAVY_KPJ).exists():
        sys.exit(
            "bench database holds another dataset: drop it first (bench/run.py does)"
        )
    started = time.monotonic()
    _reference_data()
    today = timezone.localdate()
    last = last_paid_period(today)
    rates = RateBook.load()
    with transaction.atomic():
        employers = _employers()
        rows = _members_and_careers(employers, last, rates)
        heavy = _heavy_member(last, rates, today)
        _login_events()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    info = {
        **wanted,
        "built_at": timezone.now().isoformat(),
        "build_seconds": round(time.monotonic() - started, 1),
        "member_count": SCALE.members + 1,
        "contributions": Contribution.objects.count(),
        "bulk_contributions": rows,
        "heavy_member": heavy,
        "last_period": last.isoformat(),
    }
    write_marker(info)
    return {**info, "reused": False}


def _reference_data() -> None:
    """The demo's development returns (as `make run` has; minimum wages come with
    the migrations) and a staff member who decides the heavy member's claims;
    no demo logins."""
    for year, percent in DEMO_RETURNS.items():
        DevelopmentRate.objects.get_or_create(
            year=year,
            defaults={"percent": Decimal(percent), "is_demo": True, "source": "bench"},
        )
    staff = Member(
        kpj_number=STAFF_KPJ,
        nik="3174014701900099",
        full_name="Petugas Bench",
        date_of_birth=date(1990, 1, 7),
        is_staff=True,
    )
    staff.set_unusable_password()
    staff.save()


def _employers() -> list[Employer]:
    made = Employer.objects.bulk_create(
        Employer(
            npp=f"BE{n:06d}",
            name=f"PT Bench Karya {n:04d}",
            risk_class=1 + n % 5,
            province_code=PROVINCES[n % len(PROVINCES)],
        )
        for n in range(SCALE.employers)
    )
    Employer.objects.bulk_create(
        Employer(npp=IMPORT_NPP.format(n), name=f"PT Impor {n}", province_code="31")
        for n in range(IMPORT_EMPLOYERS)
    )
    return made


def _members_and_careers(employers: list[Employer], last: date, rates: RateBook) -> int:
    """Ordinary members: 1-3 employers one after another for 10-25 years."""
    password = make_password(MEMBER_PASSWORD)  # one hash: 10,000 would take minutes
    members = Member.objects.bulk_create(
        (
            Member(
                kpj_number=f"{BULK_KPJ_BASE + n}",
                nik=f"3171{n:012d}",
                full_name=f"Peserta Bench {n}",
                date_of_birth=date(1965, 1, 1) + timedelta(days=n * 37 % 12_000),
                email=f"member{n}@bench.example",
                email_verified=True,
                password=password,
                address_province="31",
            )
            for n in range(1, SCALE.members + 1)
        ),
        batch_size=2000,
    )
    span = SCALE.max_years - SCALE.min_years + 1
    plan, employments = [], []
    for i, member in enumerate(members):
        months = (SCALE.min_years + i * 7 % span) * 12
        first = add_months(last, -(months - 1))
        jobs = 1 + i % 3
        wage = 2_000_000 + (i * 7919 % 3_000_000) // 1000 * 1000
        previous = None
        for job in range(jobs):
            employer = employers[(i * 31 + job * 97) % len(employers)]
            if employer == previous:
                employer = employers[(employers.index(employer) + 1) % len(employers)]
            previous = employer
            start = add_months(first, job * months // jobs)
            end = add_months(first, (job + 1) * months // jobs - 1)
            ongoing = job == jobs - 1
            employments.append(
                Employment(
                    member=member,
                    employer=employer,
                    start=start,
                    end=None if ongoing else month_end(end),
                )
            )
            plan.append((member.pk, employer.pk, start, end, wage, first.year))
    Employment.objects.bulk_create(employments, batch_size=5000)
    with connection.cursor() as cursor:
        _rate_table(cursor, add_months(last, -SCALE.max_years * 12), last, rates)
        cursor.execute(
            "CREATE TEMP TABLE bench_plan (member_id bigint, employer_id bigint, "
            "first date, last date, wage bigint, career_start int) ON COMMIT DROP"
        )
        with cursor.copy("COPY bench_plan FROM STDIN") as copy:
            for row in plan:
                copy.write_row(row)
        # Amounts as the product computes them: percent of the (capped) wage,
        # rounded half up to the rupiah; paid on the 10th of the next month.
        cursor.execute(
            """
            INSERT INTO contributions_contribution (member_id, employer_id, period,
                wage, jht_employer, jht_employee, jp_employer, jp_employee,
                jkk, jkm, paid_date)
            SELECT member_id, employer_id, period, wage,
                round(wage * r.jht_er / 100), round(wage * r.jht_ee / 100),
                round(least(wage, coalesce(r.cap, wage)) * r.jp_er / 100),
                round(least(wage, coalesce(r.cap, wage)) * r.jp_ee / 100),
                round(wage * r.jkk / 100), round(wage * r.jkm / 100),
                (period + interval '1 month 9 days')::date
            FROM (
                SELECT p.member_id, p.employer_id, g.period::date AS period,
                    e.risk_class,
                    (floor(p.wage * power(1.07, extract(year FROM g.period)
                        - p.career_start) / 1000) * 1000)::bigint AS wage
                FROM bench_plan AS p
                JOIN contributions_employer AS e ON e.id = p.employer_id
                CROSS JOIN LATERAL generate_series(p.first, p.last, interval '1 month')
                    AS g(period)
            ) AS c
            JOIN bench_rates AS r USING (period, risk_class)
            ORDER BY member_id, employer_id, period
            """
        )
        return cursor.rowcount


def _rate_table(cursor, first: date, last: date, rates: RateBook) -> None:
    cursor.execute(
        "CREATE TEMP TABLE bench_rates (period date, risk_class int, "
        "jht_er numeric, jht_ee numeric, jp_er numeric, jp_ee numeric, "
        "jkk numeric, jkm numeric, cap bigint, "
        "PRIMARY KEY (period, risk_class)) ON COMMIT DROP"
    )
    with cursor.copy("COPY bench_rates FROM STDIN") as copy:
        period = first
        while period <= last:
            for risk in range(1, 6):
                copy.write_row(
                    (
                        period,
                        risk,
                        rates.rate("JHT", "employer", period),
                        rates.rate("JHT", "employee", period),
                        rates.rate("JP", "employer", period),
                        rates.rate("JP", "employee", period),
                        rates.rate("JKK", "employer", period, risk),
                        rates.rate("JKM", "employer", period),
                        rates.jp_cap(period),
                    )
                )
            period = next_month(period)


def _heavy_member(last: date, rates: RateBook, today: date) -> dict:
    """40 years at 3 employers, claims in every state, documents, sign-ins."""
    member = Member(
        kpj_number=HEAVY_KPJ,
        nik="3171045204680001",
        full_name="Sri Wahyuningsih Kusumawardani",
        date_of_birth=date(1968, 4, 12),
        email="heavy@bench.example",
        email_verified=True,
        phone="081234567890",
        address_street="Jl. Melati No. 12",
        address_city="Jakarta Selatan",
        address_province="31",
        address_postcode="12160",
    )
    member.set_password(HEAVY_PASSWORD)
    member.save()
    employers = []
    for index, (npp, name, risk, province, start) in enumerate(HEAVY_EMPLOYERS):
        employer = Employer.objects.create(
            npp=npp, name=name, risk_class=risk, province_code=province
        )
        following = HEAVY_EMPLOYERS[index + 1][4] if index + 1 < 3 else None
        end = add_months(following, -1) if following else last
        Employment.objects.create(
            member=member,
            employer=employer,
            start=start,
            end=month_end(end) if following else None,
        )
        employers.append((employer, start, end))
    rows = []
    wage = 450_000
    for employer, start, end in employers:
        period = start
        while period <= end:
            if period.month == 1:
                wage = int(wage * 1.075) // 1000 * 1000
            if period not in HEAVY_GAP:
                expected = rates.expected(
                    wage=wage, period=period, risk_class=employer.risk_class
                )
                rows.append(
                    Contribution(
                        member=member,
                        employer=employer,
                        period=period,
                        wage=wage,
                        **expected.amounts(),
                        paid_date=HEAVY_LATE.get(
                            period, next_month(period).replace(day=10)
                        ),
                    )
                )
            period = next_month(period)
    Contribution.objects.bulk_create(rows)
    claim_id = _heavy_claims(member)
    _heavy_documents(member)
    _heavy_logins(member)
    return {
        "id": member.pk,
        "kpj": HEAVY_KPJ,
        "contributions": len(rows),
        "claim_id": claim_id,
        "statement_years": STATEMENT_YEARS,
    }


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 200, 200)).save(out, format="PNG")
    return out.getvalue()


S = Claim.Status
R = Claim.Reason
HEAVY_CLAIMS = [
    # programme, reason, the statuses it went through
    ("JHT", R.PARTIAL_RETIREMENT, [S.SUBMITTED, S.VERIFYING, S.APPROVED, S.PAID]),
    ("JHT", R.PARTIAL_HOUSING, [S.SUBMITTED, S.VERIFYING, S.REJECTED]),
    ("JKK", R.ACCIDENT, [S.SUBMITTED, S.VERIFYING, S.APPROVED, S.PAID]),
    ("JHT", R.PARTIAL_HOUSING, [S.SUBMITTED, S.CANCELLED]),
    ("JKK", R.ACCIDENT, [S.SUBMITTED, S.VERIFYING, S.REJECTED]),
    ("JHT", R.PARTIAL_HOUSING, [S.SUBMITTED, S.VERIFYING, S.APPROVED]),
    ("JKK", R.ACCIDENT, [S.SUBMITTED, S.VERIFYING]),
    ("JKK", R.ACCIDENT, [S.SUBMITTED, S.VERIFYING, S.NEEDS_INFO]),
    ("JHT", R.RESIGNATION, []),
]
# The claim whose page is measured: more information needed, so it is editable
# and its page lists what is still missing (the heavier path).
DETAIL_CLAIM = 7


def _heavy_claims(member: Member) -> int:
    staff = Member.objects.get(kpj_number=STAFF_KPJ)
    png = _png()
    started = timezone.now() - timedelta(days=5 * 365)
    detail_id = None
    for index, (programme, reason, path) in enumerate(HEAVY_CLAIMS):
        created = started + timedelta(days=index * 200)
        claim = Claim.objects.create(
            member=member,
            programme=programme,
            reason=reason,
            status=path[-1] if path else S.DRAFT,
            created_at=created,
            submitted_at=created + timedelta(hours=1) if path else None,
            bank_name="Bank Rakyat Indonesia",
            bank_account_number="002301000123567",
            bank_account_holder=member.full_name,
            details={
                "npwp": "012345678901234",
                "accident_date": "2024-09-14",
                "accident_place": "Gudang PT Garuda Data Sejahtera, Jakarta",
                "accident_description": "Tergelincir di tangga gudang.",
                "accident_report_number": "LK-2024-0914",
            }
            if programme == "JKK"
            else {"npwp": "012345678901234"},
            approved_amount=4_250_000 if S.APPROVED in path else None,
            payment_reference="TRF-2024-0042" if S.PAID in path else "",
            paid_on=timezone.localdate(created + timedelta(days=len(path)))
            if S.PAID in path
            else None,
        )
        previous = S.DRAFT
        for step, status in enumerate(path):
            ClaimEvent.objects.create(
                claim=claim,
                from_status=previous,
                to_status=status,
                actor=member if status == S.SUBMITTED else staff,
                note="Mohon unggah surat keterangan dokter."
                if status == S.NEEDS_INFO
                else "",
                created_at=created + timedelta(days=step + 1),
            )
            previous = status
        for kind in (
            ClaimDocument.Kind.ID_CARD,
            ClaimDocument.Kind.FAMILY_CARD,
            ClaimDocument.Kind.BANK_BOOK,
        ):
            document = ClaimDocument(
                claim=claim,
                kind=kind,
                original_name=f"{kind}.png",
                content_type="image/png",
                size=len(png),
                sha256="0" * 64,
                uploaded_at=created,
            )
            document.file.save("upload", ContentFile(png), save=False)
            document.save()
        if index == DETAIL_CLAIM:
            detail_id = claim.pk
    return detail_id


def _heavy_documents(member: Member) -> None:
    K = GeneratedDocument.Kind
    now = timezone.now()
    documents = []
    for n in range(30):
        kind = (K.CONTRIBUTION_STATEMENT, K.MEMBERSHIP_CARD, K.JHT_STATEMENT)[n % 3]
        params = {
            K.CONTRIBUTION_STATEMENT: {"year_from": 1990 + n, "year_to": 1999 + n},
            K.MEMBERSHIP_CARD: {},
            K.JHT_STATEMENT: {"year": 1995 + n},
        }[kind]
        documents.append(
            GeneratedDocument(
                member=member,
                kind=kind,
                params=params,
                language="id",
                status=GeneratedDocument.Status.READY,
                data_hash=f"{n:064d}",
                file=f"documents/{member.pk}/bench{n:02d}.pdf",
                sha256="0" * 64,
                created_at=now - timedelta(days=n * 20),
                ready_at=now - timedelta(days=n * 20),
            )
        )
    GeneratedDocument.objects.bulk_create(documents)


def _heavy_logins(member: Member) -> None:
    now = timezone.now()
    LoginEvent.objects.bulk_create(
        LoginEvent(
            member=member,
            identifier=HEAVY_KPJ,
            ip=f"10.0.{n % 5}.{n % 200 + 1}",
            user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/130.0",
            outcome=LoginEvent.Outcome.SUCCESS
            if n % 7
            else LoginEvent.Outcome.BAD_PASSWORD,
            created_at=now - timedelta(hours=n * 9),
        )
        for n in range(200)
    )


def _login_events() -> None:
    """Five sign-ins for each ordinary member over the last three months."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO accounts_loginevent (created_at, identifier, ip, user_agent,
                outcome, member_id)
            SELECT now() - (n * interval '17 days') - (m.id %% 1000) * interval '1 min',
                m.kpj_number, ('10.1.' || (m.id %% 250) || '.' || (n + 1))::inet,
                'Mozilla/5.0 (Linux; Android 14) Chrome/130.0', 'success', m.id
            FROM accounts_member AS m CROSS JOIN generate_series(0, 4) AS n
            WHERE m.kpj_number LIKE '7%%' AND m.kpj_number <> %s
            """,
            [HEAVY_KPJ],
        )


# --- sessions --------------------------------------------------------------------


def _session(member: Member) -> str:
    """A signed-in session as accounts.views leaves it (no second factor set up)."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = member._meta.pk.value_to_string(member)
    store[BACKEND_SESSION_KEY] = "accounts.backends.MemberBackend"
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store[AUTH_TIME_KEY] = int(time.time())
    store.create()
    return store.session_key


def sessions() -> dict:
    Session.objects.all().delete()  # the bench's Redis DB is flushed before a run
    heavy = Member.objects.get(kpj_number=HEAVY_KPJ)
    ordinary = list(
        Member.objects.filter(kpj_number__startswith="7")
        .exclude(pk=heavy.pk)
        .order_by("pk")
    )
    step = max(1, len(ordinary) // SCALE.sessions)
    chosen = ordinary[::step][: SCALE.sessions]
    info = marker() or {}
    cookie = settings.SESSION_COOKIE_NAME
    return {
        "cookie_name": cookie,
        # Cookie header values, as a browser would send them.
        "members": [f"{cookie}={_session(member)}" for member in chosen],
        "heavy": [f"{cookie}={_session(heavy)}" for _ in range(SCALE.sessions)],
        "heavy_id": heavy.pk,
        "claim_id": info.get("heavy_member", {}).get("claim_id"),
    }


# --- import file -----------------------------------------------------------------


def import_file(csv_path: str, ids_path: str) -> dict:
    """A valid report of SCALE.import_rows new rows for existing members.

    Written twice: as the import format (npp, kpj, nik, period, ...) and, for
    the COPY baseline, as the same rows in the contributions table's own shape.
    """
    employers = list(
        Employer.objects.filter(npp__startswith="IM")
        .order_by("npp")
        .values_list("pk", "npp")
    )
    months = 20
    wanted_members = -(-SCALE.import_rows // (len(employers) * months))
    members = list(
        Member.objects.filter(kpj_number__startswith="7")
        .order_by("pk")
        .values_list("pk", "kpj_number", "nik")[:wanted_members]
    )
    periods = [date(2030 + m // 12, m % 12 + 1, 1) for m in range(months)]
    amounts = "5000000,185000,100000,100000,50000,12000,15000"  # wage ... jkm
    written = 0
    with open(csv_path, "w") as text, open(ids_path, "w") as ids:
        text.write(",".join(COLUMNS) + "\n")
        for employer_id, npp in employers:
            for period in periods:
                paid = next_month(period).replace(day=10).isoformat()
                month = period.strftime("%Y-%m")
                for member_id, kpj, nik in members:
                    if written == SCALE.import_rows:
                        break
                    # jkp: 0, employers pay nothing for it
                    text.write(f"{npp},{kpj},{nik},{month},{amounts},0,{paid}\n")
                    ids.write(
                        f"{member_id},{employer_id},{period.isoformat()},"
                        f"{amounts},{paid}\n"
                    )
                    written += 1
    return {"rows": written, "employers": [npp for _, npp in employers]}


def import_cleanup() -> dict:
    """Remove what the import measurement added, so the next run starts the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM contributions_contribution WHERE employer_id IN "
            "(SELECT id FROM contributions_employer WHERE npp LIKE %s)",
            ["IM%"],
        )
        deleted = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE contributions_contribution")
    return {"deleted": deleted}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dataset")
    parser.add_argument(
        "command",
        choices=["build", "sessions", "import-file", "import-cleanup", "status"],
    )
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    if args.command == "build":
        result = build()
    elif args.command == "status":
        result = {"marker": marker(), "expected": expected_marker()}
    elif args.command == "sessions":
        result = sessions()
    elif args.command == "import-file":
        result = import_file(*args.paths)
    else:
        result = import_cleanup()
    json.dump(result, sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
