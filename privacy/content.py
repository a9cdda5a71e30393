"""What a member's data export holds: one file per kind of data, in one ZIP.

Rows are streamed from the database with .iterator() straight into the ZIP, so
memory stays flat however long the member's history is. Every query is filtered
by the member; nothing here reads another member's rows. Column names are
English and stable (for programs); columns ending in _label give the meaning of
the code before them in the language the export is written in.
"""

import io
import json
import textwrap
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from operator import attrgetter, methodcaller
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, Heir, LoginEvent, Member
from audit.models import AuditEntry
from claims.models import Claim, ClaimDocument, ClaimEvent
from contributions.models import Contribution, Employment
from documents.models import GeneratedDocument
from ibsu.lib.csv_safe import csv_writer
from privacy.models import DataExport

Column = tuple[str, Callable[[Any], Any]]
Step = DataExport.Step
CHUNK = 500


def fields(model, *names: str) -> list[Column]:
    """A column per model field, plus <name>_label for fields with choices."""
    columns: list[Column] = []
    for name in names:
        field = model._meta.get_field(name)
        columns.append((name, attrgetter(field.attname)))
        if field.choices:
            columns.append((f"{name}_label", methodcaller(f"get_{name}_display")))
    return columns


def value(raw: Any) -> Any:
    """JSON-ready: times in Jakarta time, ISO 8601; lazy labels as text."""
    if isinstance(raw, datetime):
        return timezone.localtime(raw).isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, Promise):
        return str(raw)
    return raw


def cell(raw: Any) -> Any:
    """A CSV cell's value. Formulas are defused by the writer (ibsu/lib/csv_safe):
    someone trying to sign in chooses the browser name stored with the attempt."""
    raw = value(raw)
    if raw is None:
        return ""
    if isinstance(raw, dict | list):
        return json.dumps(raw, ensure_ascii=False, sort_keys=True)
    return raw


def record(obj, columns: list[Column]) -> dict[str, Any]:
    return {name: value(get(obj)) for name, get in columns}


def _write_csv(
    archive: zipfile.ZipFile, name: str, columns: list[Column], rows: Iterable
) -> None:
    # utf-8-sig: spreadsheet programs then read names with accents correctly.
    with (
        archive.open(name, "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
    ):
        writer = csv_writer(text)
        writer.writerow([header for header, _get in columns])
        for row in rows:
            writer.writerow([cell(get(row)) for _header, get in columns])


def _write_json(archive: zipfile.ZipFile, name: str, data: Any) -> None:
    with (
        archive.open(name, "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8") as text,
    ):
        json.dump(data, text, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        text.write("\n")


def _write_json_list(archive: zipfile.ZipFile, name: str, items: Iterable) -> None:
    """A JSON array written item by item, never held whole in memory."""
    with (
        archive.open(name, "w") as raw,
        io.TextIOWrapper(raw, encoding="utf-8") as text,
    ):
        text.write("[")
        for number, item in enumerate(items):
            text.write(",\n" if number else "\n")
            body = json.dumps(item, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            text.write(textwrap.indent(body, "  "))
        text.write("\n]\n")


# --- The parts ------------------------------------------------------------------

PROFILE = fields(
    Member,
    "kpj_number",
    "nik",
    "full_name",
    "date_of_birth",
    "email",
    "email_verified",
    "phone",
    "marital_status",
    "address_street",
    "address_district",
    "address_city",
    "address_province",
    "address_postcode",
    "preferred_language",
    "date_joined",
    "last_login",
    "is_active",
    "is_staff",
    "failed_login_count",
    "locked_at",
)


def _two_step(member: Member) -> list[dict]:
    """Which second factors are set up; never their secrets or codes."""
    methods: list[dict] = []
    for kind, model in (("authenticator", TOTPDevice), ("email", EmailDevice)):
        for device in model.objects.filter(user=member).order_by("pk"):
            methods.append(
                {
                    "method": kind,
                    "name": device.name,
                    "confirmed": device.confirmed,
                    "created_at": value(device.created_at),
                    "last_used_at": value(device.last_used_at),
                    **({"email": device.email} if kind == "email" else {}),
                }
            )
    for device in BackupCodeDevice.objects.filter(user=member).order_by("pk"):
        methods.append(
            {
                "method": "backup_codes",
                "name": device.name,
                "confirmed": device.confirmed,
                "unused_codes": device.remaining,
            }
        )
    return methods


def write_profile(archive, member: Member) -> None:
    data = record(member, PROFILE)
    data["two_step_verification"] = _two_step(member)
    _write_json(archive, "profile.json", data)


HEIRS = fields(
    Heir,
    "full_name",
    "nik",
    "relationship",
    "date_of_birth",
    "phone",
    "share_percent",
)


def write_heirs(archive, member: Member) -> None:
    rows = Heir.objects.filter(member=member).order_by("pk")
    _write_csv(archive, "heirs.csv", HEIRS, rows.iterator(chunk_size=CHUNK))


EMPLOYER = [
    ("employer_npp", attrgetter("employer.npp")),
    ("employer_name", attrgetter("employer.name")),
]
EMPLOYMENTS = EMPLOYER + fields(Employment, "start", "end")


def write_employments(archive, member: Member) -> None:
    rows = (
        Employment.objects.filter(member=member)
        .select_related("employer")
        .order_by("start", "pk")
    )
    _write_csv(archive, "employments.csv", EMPLOYMENTS, rows.iterator(chunk_size=CHUNK))


CONTRIBUTIONS = [
    *fields(Contribution, "period"),
    *EMPLOYER,
    *fields(Contribution, "wage", *Contribution.AMOUNT_FIELDS),
    ("total", attrgetter("total")),
    *fields(Contribution, "paid_date"),
]


def write_contributions(archive, member: Member) -> None:
    rows = (
        Contribution.objects.filter(member=member)
        .select_related("employer")
        .order_by("period", "employer_id")
    )
    _write_csv(
        archive, "contributions.csv", CONTRIBUTIONS, rows.iterator(chunk_size=CHUNK)
    )


CLAIM = [
    ("number", attrgetter("number")),
    *fields(
        Claim,
        "programme",
        "reason",
        "status",
        "details",
        "bank_name",
        "bank_account_number",
        "bank_account_holder",
        "holder_differs_reason",
        "approved_amount",
        "payment_reference",
        "created_at",
        "submitted_at",
        "updated_at",
    ),
]
CLAIM_DOCUMENT = fields(
    ClaimDocument,
    "kind",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_at",
)
CLAIM_EVENT = fields(ClaimEvent, "created_at", "from_status", "to_status", "note")


def _by(actor_id: int | None, member: Member) -> str:
    """Who did it, without naming staff: their identity is their own data."""
    if actor_id is None:
        return "system"
    return "you" if actor_id == member.pk else "staff"


def _claims(member: Member):
    claims = (
        Claim.objects.filter(member=member)
        .prefetch_related("documents", "events")
        .order_by("created_at", "pk")
    )
    for claim in claims.iterator(chunk_size=100):
        data = record(claim, CLAIM)
        data["documents"] = [
            record(document, CLAIM_DOCUMENT) for document in claim.documents.all()
        ]
        data["history"] = [
            {**record(event, CLAIM_EVENT), "by": _by(event.actor_id, member)}
            for event in claim.events.all()
        ]
        yield data


def write_claims(archive, member: Member) -> None:
    _write_json_list(archive, "claims.json", _claims(member))


DOCUMENTS = fields(
    GeneratedDocument,
    "kind",
    "params",
    "language",
    "status",
    "code",
    "sha256",
    "created_at",
    "ready_at",
)


def write_documents(archive, member: Member) -> None:
    rows = GeneratedDocument.objects.filter(member=member).order_by("created_at", "pk")
    _write_csv(
        archive, "generated_documents.csv", DOCUMENTS, rows.iterator(chunk_size=CHUNK)
    )


LOGIN_EVENTS = fields(
    LoginEvent, "created_at", "outcome", "ip", "user_agent", "identifier"
)


def write_login_events(archive, member: Member) -> None:
    rows = LoginEvent.objects.filter(member=member).order_by("created_at", "pk")
    _write_csv(
        archive, "login_events.csv", LOGIN_EVENTS, rows.iterator(chunk_size=CHUNK)
    )


def _changes_columns(member: Member) -> list[Column]:
    def by(entry):
        return _by(entry.actor_id, member)

    def ip(entry):
        # A staff member's address is theirs, not the member's.
        return entry.ip if entry.actor_id == member.pk else ""

    return [
        *fields(AuditEntry, "created_at", "action"),
        ("by", by),
        ("details", attrgetter("data")),
        ("ip", ip),
    ]


def write_changes(archive, member: Member) -> None:
    rows = AuditEntry.objects.filter(member=member).order_by("created_at", "pk")
    _write_csv(
        archive,
        "changes.csv",
        _changes_columns(member),
        rows.iterator(chunk_size=CHUNK),
    )


PARTS: list[tuple[str, Callable[[zipfile.ZipFile, Member], None]]] = [
    (Step.PROFILE, write_profile),
    (Step.HEIRS, write_heirs),
    (Step.EMPLOYMENTS, write_employments),
    (Step.CONTRIBUTIONS, write_contributions),
    (Step.CLAIMS, write_claims),
    (Step.DOCUMENTS, write_documents),
    (Step.LOGIN_EVENTS, write_login_events),
    (Step.CHANGES, write_changes),
]


def write_export(
    target, *, member: Member, on_step: Callable[[str], None] = lambda step: None
) -> None:
    """Write the member's ZIP to the binary file `target`, in the active language.

    `on_step` is told the Step before each part is written, for the progress
    shown to the member.
    """
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for step, write in PARTS:
            on_step(step)
            write(archive, member)
        on_step(Step.PACKING)
        readme = render_to_string(
            "privacy/export_readme.txt",
            {"member": member, "generated_at": timezone.now()},
        )
        archive.writestr("README.txt", readme.strip() + "\n")
