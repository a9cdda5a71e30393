"""Download my data (UU 27/2022): what the ZIP holds, whose data, for how long.

Celery runs in-process: an export requested inside
django_capture_on_commit_callbacks(execute=True) is built when the request's
transaction commits, as the worker would build it just after.
"""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Heir, LoginEvent
from audit.models import AuditEntry
from audit.services import audit_record
from claims import services as claim_services
from claims.models import Claim, ClaimDocument, ClaimEvent
from contributions.models import Contribution, Employer, Employment
from documents.models import GeneratedDocument
from ibsu.lib.csv_safe import spreadsheet_safe
from privacy.content import cell
from privacy.models import DataExport
from privacy.services import cleanup_run, data_export_request
from tests.conftest import post_login
from tests.factories import DEFAULT_PASSWORD, nik_for

pytestmark = pytest.mark.django_db

E = DataExport.Status
EXPORT = reverse("privacy:export")
REFRESH = '<meta http-equiv="refresh" content="3">'
FILES = {
    "README.txt",
    "profile.json",
    "heirs.csv",
    "employments.csv",
    "contributions.csv",
    "claims.json",
    "generated_documents.csv",
    "login_events.csv",
    "changes.csv",
}
# More rows than one chunk of .iterator(), so the streaming is exercised.
MANY_LOGINS = 1_200
FORMULA_AGENT = '=HYPERLINK("http://evil.example/","click")'


# -- helpers ------------------------------------------------------------------


def signed_in(member) -> Client:
    client = Client()
    response = post_login(client, member.kpj_number, DEFAULT_PASSWORD)
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def png(name: str) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 200, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def download_path(export: DataExport) -> str:
    return reverse("privacy:download", args=[export.pk])


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()
        }


def rows(files: dict[str, str], name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[name])))


def give_data(member, *, employer, tag: str, serial: int, staff=None) -> dict:
    """Heirs, a job, contributions, a claim with a document and a history,
    a generated document, sign-ins and audit entries, all marked with `tag`."""
    member.phone = f"+62812{serial:08d}"
    member.save(update_fields=["phone"])
    heir = Heir.objects.create(
        member=member,
        full_name=f"Ahli Waris {tag}",
        nik=nik_for(date(1988, 5, 5), female=True, serial=serial),
        relationship=Heir.Relationship.SPOUSE,
        date_of_birth=date(1988, 5, 5),
        phone=f"+62813{serial:08d}",
        share_percent=100,
    )
    Employment.objects.create(member=member, employer=employer, start=date(2020, 1, 1))
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=date(2023, month, 1),
            wage=5_000_000 + serial * 1_000 + month,
            jht_employer=185_000,
            jht_employee=100_000,
            paid_date=date(2023, month, 10),
        )
        for month in range(1, 13)
    )
    claim = Claim.objects.create(
        member=member,
        programme="JHT",
        reason=Claim.Reason.RESIGNATION,
        bank_name="Bank Rakyat Indonesia",
        bank_account_number=f"0023010{serial:08d}",
        bank_account_holder=member.full_name,
    )
    claim_services.claim_document_add(
        claim=claim, kind=ClaimDocument.Kind.ID_CARD, upload=png(f"ktp-{tag}.png")
    )
    Claim.objects.filter(pk=claim.pk).update(
        status=Claim.Status.SUBMITTED, submitted_at=timezone.now()
    )
    ClaimEvent.objects.create(
        claim=claim, from_status="draft", to_status="submitted", actor=member
    )
    ClaimEvent.objects.create(
        claim=claim,
        from_status="submitted",
        to_status="verifying",
        actor=staff,
        note=f"Checking {tag}",
    )
    document = GeneratedDocument.objects.create(
        member=member,
        kind=GeneratedDocument.Kind.MEMBERSHIP_CARD,
        language="en",
        status=GeneratedDocument.Status.READY,
        data_hash="0" * 64,
    )
    LoginEvent.objects.create(
        member=member,
        identifier=member.kpj_number,
        ip="203.0.113.7",
        user_agent=f"Browser-{tag}/1.0",
        outcome=LoginEvent.Outcome.BAD_PASSWORD,
    )
    audit_record(
        action=f"profile.changed_{tag}", member=member, actor=member, ip="198.51.100.1"
    )
    if staff is not None:
        audit_record(
            action="member.unlocked", member=member, actor=staff, ip="192.0.2.99"
        )
    return {"heir": heir, "claim": claim, "document": document}


@pytest.fixture
def employer(db):
    return Employer.objects.create(
        npp="ND000003", name="PT Nusantara Digital", province_code="31"
    )


@pytest.fixture
def two_members(member, other_member, staff, employer):
    mine = give_data(member, employer=employer, tag="mine", serial=11, staff=staff)
    theirs = give_data(other_member, employer=employer, tag="theirs", serial=22)
    LoginEvent.objects.bulk_create(
        LoginEvent(
            member=member,
            identifier=member.kpj_number,
            ip="203.0.113.8",
            user_agent=FORMULA_AGENT if n == 0 else f"Phone/{n}",
            outcome=LoginEvent.Outcome.BAD_PASSWORD,
        )
        for n in range(MANY_LOGINS)
    )
    return mine, theirs


@pytest.fixture
def export_of(django_capture_on_commit_callbacks):
    """Ask for a member's export through the page; it is built at commit."""

    def _export(member, client=None) -> tuple[DataExport, Client]:
        client = client or signed_in(member)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(EXPORT)
        assert response.status_code == 302
        export = DataExport.objects.filter(member=member).first()
        return export, client

    return _export


def other_members_values(other, theirs, staff) -> list[str]:
    """What identifies the other member (or staff): none may be in my export."""
    return [
        other.nik,
        other.kpj_number,
        other.full_name,
        other.email,
        other.phone,
        theirs["heir"].nik,
        theirs["heir"].full_name,
        theirs["heir"].phone,
        theirs["claim"].number,
        theirs["claim"].bank_account_number,
        theirs["document"].code,
        "ktp-theirs.png",
        "Browser-theirs",
        "profile.changed_theirs",
        "Checking theirs",
        staff.full_name,
        staff.kpj_number,
        "192.0.2.99",  # the staff member's address
    ]


# -- what the export holds --------------------------------------------------------


def test_the_export_holds_exactly_the_members_data_and_none_of_anothers(
    member, other_member, staff, two_members, export_of
):
    mine, theirs = two_members

    export, client = export_of(member)

    assert export.status == E.READY, export.error
    response = client.get(download_path(export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = body(response)
    files = read_zip(data)
    assert set(files) == FILES

    profile = json.loads(files["profile.json"])
    assert profile["kpj_number"] == member.kpj_number
    assert profile["nik"] == member.nik  # the full NIK: it is the member's own
    assert profile["phone"] == member.phone
    assert profile["full_name"] == "Siti Rahayu"
    assert profile["email"] == "siti@example.com"
    assert profile["date_of_birth"] == member.date_of_birth.isoformat()
    assert profile["two_step_verification"] == []
    assert "password" not in profile

    assert [(row["nik"], row["phone"]) for row in rows(files, "heirs.csv")] == [
        (mine["heir"].nik, mine["heir"].phone)
    ]
    assert rows(files, "heirs.csv")[0]["relationship_label"] == "Spouse"
    assert [row["start"] for row in rows(files, "employments.csv")] == ["2020-01-01"]

    contributions = rows(files, "contributions.csv")
    expected = Contribution.objects.filter(member=member).order_by("period")
    assert [(row["period"], int(row["wage"])) for row in contributions] == [
        (c.period.isoformat(), c.wage) for c in expected
    ]
    assert {row["employer_npp"] for row in contributions} == {"ND000003"}
    assert int(contributions[0]["total"]) == 285_000

    (claim,) = json.loads(files["claims.json"])
    assert claim["number"] == mine["claim"].number
    assert claim["bank_account_number"] == mine["claim"].bank_account_number
    assert claim["status_label"] == "Submitted"
    (document,) = claim["documents"]
    assert document["original_name"] == "ktp-mine.png"
    assert document["sha256"] == ClaimDocument.objects.get(claim__member=member).sha256
    assert "file" not in document
    assert [(step["to_status"], step["by"]) for step in claim["history"]] == [
        ("submitted", "you"),
        ("verifying", "staff"),
    ]

    assert [row["code"] for row in rows(files, "generated_documents.csv")] == [
        mine["document"].code
    ]

    logins = rows(files, "login_events.csv")
    assert len(logins) == LoginEvent.objects.filter(member=member).count()
    assert len(logins) > MANY_LOGINS
    # A browser name someone typed to look like a formula is shown, not run.
    assert "'" + FORMULA_AGENT in [row["user_agent"] for row in logins]

    changes = rows(files, "changes.csv")
    assert [row["action"] for row in changes] == list(
        AuditEntry.objects.filter(member=member)
        .exclude(action="privacy.export_downloaded")  # recorded after it was made
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    by_action = {row["action"]: row for row in changes}
    assert by_action["profile.changed_mine"]["by"] == "you"
    assert by_action["profile.changed_mine"]["ip"] == "198.51.100.1"
    assert by_action["member.unlocked"]["by"] == "staff"
    assert by_action["member.unlocked"]["ip"] == ""
    assert "privacy.export_requested" in by_action

    assert "UU 27/2022" in files["README.txt"]
    assert member.kpj_number in files["README.txt"]

    everything = "\n".join(files.values())
    leaked = [
        value
        for value in other_members_values(other_member, theirs, staff)
        if value and value in everything
    ]
    assert leaked == []


def test_the_other_members_export_holds_only_their_data(
    member, other_member, staff, two_members, export_of
):
    mine, _theirs = two_members

    export, client = export_of(other_member)

    files = read_zip(body(client.get(download_path(export))))
    assert json.loads(files["profile.json"])["nik"] == other_member.nik
    everything = "\n".join(files.values())
    assert member.nik not in everything
    assert mine["claim"].number not in everything
    assert mine["heir"].nik not in everything
    assert "Phone/1" not in everything


def test_the_member_is_emailed_when_it_is_ready_and_the_nik_is_nowhere_else(
    member, two_members, export_of, verified_staff, login
):
    export, client = export_of(member)

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Your data is ready to download"
    assert f"http://testserver{EXPORT}" in message.body
    assert not message.attachments
    entry = AuditEntry.objects.get(action="privacy.export_requested")
    assert (entry.member, entry.actor, entry.data) == (
        member,
        member,
        {"export": export.pk},
    )
    export.refresh_from_db()
    assert export.expires_at == export.ready_at + timedelta(hours=72)
    # The full NIK and phone are in the file only: not on the page, in the
    # email, the audit trail, the export's row or the staff admin page.
    page = client.get(EXPORT).content.decode()
    staff_client = login(verified_staff)
    admin_page = staff_client.get(
        reverse("admin:privacy_dataexport_change", args=[export.pk])
    )
    assert admin_page.status_code == 200
    places = {
        "page": page,
        "email": message.body + message.alternatives[0][0],
        "audit": json.dumps(list(AuditEntry.objects.values("data"))),
        "row": json.dumps(list(DataExport.objects.values()), default=str),
        "admin": admin_page.content.decode(),
    }
    shown = [
        (place, value)
        for place, text in places.items()
        for value in (member.nik, member.phone)
        if value in text
    ]
    assert shown == []


# -- the page while it is being made ------------------------------------------------


def test_a_pending_export_page_refreshes_itself_and_shows_progress(
    member, login, django_capture_on_commit_callbacks
):
    client = login(member)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(EXPORT, follow=True)

    page = response.content.decode()
    assert REFRESH in page
    assert "We are preparing your data" in page
    assert "Waiting for its turn" in page
    export = DataExport.objects.get(member=member)
    assert export.status == E.QUEUED

    DataExport.objects.filter(pk=export.pk).update(
        status=E.WORKING, step=DataExport.Step.CONTRIBUTIONS
    )
    page = client.get(EXPORT).content.decode()
    assert REFRESH in page
    assert "Step 4 of 9: Contributions" in page

    DataExport.objects.filter(pk=export.pk).update(status=E.QUEUED, step="")
    for callback in callbacks:
        callback()
    page = client.get(EXPORT).content.decode()
    assert REFRESH not in page
    assert download_path(export) in page
    assert "available until" in page


def test_asking_again_while_pending_returns_the_same_export(
    member, login, django_capture_on_commit_callbacks
):
    client = login(member)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(EXPORT)
        response = client.post(EXPORT, follow=True)

    assert "Your data is already being prepared." in response.content.decode()
    assert DataExport.objects.filter(member=member).count() == 1
    assert AuditEntry.objects.filter(action="privacy.export_requested").count() == 1


def test_a_new_copy_can_be_asked_for_once_the_last_one_is_ready(member, export_of):
    first, client = export_of(member)

    second, _client = export_of(member, client)

    assert second.pk != first.pk
    assert second.status == first.status == E.READY


def test_a_failed_export_is_shown_and_can_be_asked_for_again(
    member, login, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError(f"cannot read {member.nik}")

    monkeypatch.setattr("privacy.services.write_export", broken)
    client = login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORT)

    export = DataExport.objects.get(member=member)
    assert (export.status, export.error, export.file.name) == (
        E.FAILED,
        "RuntimeError",
        "",
    )
    page = client.get(EXPORT).content.decode()
    assert REFRESH not in page
    assert "Please request it again." in page
    assert client.get(download_path(export)).status_code == 404
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORT)
    assert DataExport.objects.filter(member=member, status=E.READY).count() == 1


def test_an_export_left_queued_by_a_broker_outage_is_queued_again(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export, created = data_export_request(member=member, language="en")
    assert created
    DataExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        again, created = data_export_request(member=member, language="en")

    assert (again.pk, created) == (export.pk, False)
    again.refresh_from_db()
    assert again.status == E.READY


# -- who may download, and until when ----------------------------------------------


def test_another_members_export_is_a_404_like_a_missing_one(
    member, other_member, export_of
):
    export, _client = export_of(member)
    intruder = signed_in(other_member)

    response = intruder.get(download_path(export))
    missing = intruder.get(reverse("privacy:download", args=[987_654]))

    assert response.status_code == missing.status_code == 404
    assert not body(response).startswith(b"PK")
    page = intruder.get(EXPORT).content.decode()
    assert download_path(export) not in page
    assert not AuditEntry.objects.filter(action="privacy.export_downloaded").exists()


def test_signed_out_visitors_are_sent_to_the_login_page(member, export_of):
    export, _client = export_of(member)

    for url in (EXPORT, download_path(export)):
        response = Client().get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_an_expired_export_is_gone_and_cleanup_deletes_its_file(member, export_of):
    export, client = export_of(member)
    storage = storages["private"]
    assert storage.exists(export.file.name)
    assert body(client.get(download_path(export))).startswith(b"PK")

    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(download_path(export))

    assert response.status_code == 410
    assert not body(response).startswith(b"PK")
    assert "This download has expired" in response.content.decode()
    page = client.get(EXPORT).content.decode()
    assert download_path(export) not in page
    assert "No longer available" in page

    counts = cleanup_run()

    assert counts["data_exports"] == 1
    assert not storage.exists(export.file.name)
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert client.get(download_path(export)).status_code == 404


def test_a_download_is_in_the_audit_trail(member, export_of):
    export, client = export_of(member)

    body(client.get(download_path(export)))

    entry = AuditEntry.objects.get(action="privacy.export_downloaded")
    assert (entry.member, entry.actor, entry.data) == (
        member,
        member,
        {"export": export.pk},
    )


# -- cells that spreadsheets would run ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("-12.5", "-12.5"),
        ("+6281234567890", "+6281234567890"),
        ("Siti Rahayu", "Siti Rahayu"),
        (-5, -5),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(raw, written):
    # As the export's writer sees them: the value, then the CSV helper.
    assert spreadsheet_safe(cell(raw)) == written
