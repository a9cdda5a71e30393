"""Official PDFs: what they say, reuse of unchanged files, the member's list and
downloads, the public verification page and the yearly statement command.

Celery runs in-process in these tests: a document requested inside
django_capture_on_commit_callbacks(execute=True) is rendered when the request's
transaction commits, as the worker would render it just after.
"""

import hashlib
import html
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from claims.models import Claim
from claims.services import claim_transition
from contributions.models import Contribution, DevelopmentRate, Employer
from contributions.rates import RateBook
from documents.models import GeneratedDocument
from documents.services import document_render, document_request, verify_url
from ibsu.lib.page_cache import invalidate
from privacy.services import cleanup_run
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

D = GeneratedDocument.Status
K = GeneratedDocument.Kind
AMOUNTS = Contribution.AMOUNT_FIELDS
LIST = reverse("documents:list")
AUTHOR = "BPJS Ketenagakerjaan"
REFRESH = '<meta http-equiv="refresh" content="3">'
# ISO/IEC 7810 ID-1, the size of a bank card: 85.6 mm × 53.98 mm in points.
ID1_POINTS = (85.6 / 25.4 * 72, 53.98 / 25.4 * 72)
STATEMENT_YEARS = (2015, 2024)
OUTSIDE_WAGE = 9_876_000  # the wage of the months just outside the statement
BANK = {
    "bank_name": "Bank Rakyat Indonesia",
    "bank_account_number": "002301000123567",
}


# -- helpers ------------------------------------------------------------------


def rupiah(amount: int, language: str) -> str:
    """Written out here, not with the app's helper: Rp 1.234.567 or Rp 1,234,567."""
    grouped = f"{amount:,}"
    return "Rp " + (grouped.replace(",", ".") if language == "id" else grouped)


def stored_bytes(document: GeneratedDocument) -> bytes:
    with document.file.open("rb") as file:
        return file.read()


class Pdf(NamedTuple):
    reader: PdfReader
    pages: list[str]  # each page's text, whitespace collapsed

    @property
    def text(self) -> str:
        return " ".join(self.pages)

    @property
    def title(self) -> str:
        return self.reader.metadata.title or ""


def read_pdf(document: GeneratedDocument) -> Pdf:
    reader = PdfReader(io.BytesIO(stored_bytes(document)))
    return Pdf(reader, [" ".join(page.extract_text().split()) for page in reader.pages])


def page_text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def verify_path(code: str) -> str:
    return reverse("documents:verify", kwargs={"code": code})


def download_path(document: GeneratedDocument) -> str:
    return reverse("documents:download", args=[document.pk])


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def contribution(member, employer, period: date, *, wage: int, rates: RateBook):
    """A month reported and paid on time, at the statutory amounts."""
    expected = rates.expected(wage=wage, period=period, risk_class=employer.risk_class)
    return Contribution(
        member=member,
        employer=employer,
        period=period,
        wage=wage,
        **expected.amounts(),
        paid_date=next_month(period).replace(day=10),
    )


def months(member, employer, *, first: date, count: int, wage: int = 5_000_000):
    rates, period, rows = RateBook.load(), first, []
    for _ in range(count):
        rows.append(contribution(member, employer, period, wage=wage, rates=rates))
        period = next_month(period)
    return Contribution.objects.bulk_create(rows)


@pytest.fixture
def employer(db):
    return Employer.objects.create(
        npp="ND000003", name="PT Nusantara Digital", risk_class=1, province_code="31"
    )


@pytest.fixture
def career(member, statutory_figures):
    """120 months at two employers in 2015–2024, and one month either side."""
    rates = RateBook.load()
    building = Employer.objects.create(
        npp="MJ000001", name="PT Maju Jaya Konstruksi", risk_class=3, province_code="31"
    )
    digital = Employer.objects.create(
        npp="ND000003", name="PT Nusantara Digital", risk_class=1, province_code="31"
    )
    rows = []
    for n in range(120):
        period = date(2015 + n // 12, n % 12 + 1, 1)
        employer = building if period.year < 2020 else digital
        wage = 4_000_000 + n * 37_000
        rows.append(contribution(member, employer, period, wage=wage, rates=rates))
    for employer, period in ((building, date(2014, 6, 1)), (digital, date(2025, 6, 1))):
        rows.append(
            contribution(member, employer, period, wage=OUTSIDE_WAGE, rates=rates)
        )
    Contribution.objects.bulk_create(rows)
    return member


# -- what the PDFs say ----------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "id"])
def test_contribution_statement_shows_every_month_and_the_database_totals(
    career, request_document, language
):
    start, end = STATEMENT_YEARS

    document = request_document(
        career, K.CONTRIBUTION_STATEMENT, language, year_from=start, year_to=end
    )

    assert document.status == D.READY, document.error
    pdf = read_pdf(document)
    in_range = Contribution.objects.filter(
        member=career, period__year__range=(start, end)
    )
    assert in_range.count() == 120
    totals = in_range.aggregate(**{name: Sum(name) for name in AMOUNTS})
    assert career.full_name in pdf.text
    assert career.kpj_number in pdf.text
    assert f"{start}–{end}" in pdf.text
    missing = [
        f"{period:%Y-%m}"
        for period in in_range.values_list("period", flat=True)
        if f"{period:%Y-%m} PT " not in pdf.text
    ]
    assert missing == []
    # The months outside the years asked for are neither shown nor counted.
    assert "2014-06" not in pdf.text
    assert "2025-06" not in pdf.text
    assert rupiah(OUTSIDE_WAGE, language) not in pdf.text
    # The totals row, programme by programme, then all programmes together.
    assert " ".join(rupiah(totals[name], language) for name in AMOUNTS) in pdf.text
    assert rupiah(sum(totals.values()), language) in pdf.text
    # 120 months do not fit on one or two A4 pages; each page names its code.
    assert len(pdf.pages) >= 3
    assert all(document.display_code in page for page in pdf.pages)
    with translation.override(language):
        title = str(K.CONTRIBUTION_STATEMENT.label)
    assert title in pdf.title
    assert career.kpj_number in pdf.title
    assert pdf.reader.metadata.author == AUTHOR
    assert verify_url(document) == f"http://testserver/verify/{document.code}/"
    assert verify_url(document) in pdf.text
    stored = stored_bytes(document)
    assert stored.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(stored).hexdigest()


def test_jht_statement_shows_the_year_from_opening_to_closing(
    member, employer, statutory_figures, request_document
):
    for year, percent in ((2023, "6.00"), (2024, "5.00")):
        DevelopmentRate.objects.update_or_create(
            year=year,
            defaults={"percent": Decimal(percent), "is_demo": False, "source": "test"},
        )
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=date(2023 + n // 12, n % 12 + 1, 1),
            wage=5_000_000,
            jht_employer=200_000,
            jht_employee=100_000,
            paid_date=date(2023 + (n + 1) // 12, (n + 1) % 12 + 1, 10),
        )
        for n in range(24)
    )

    document = request_document(member, K.JHT_STATEMENT, year=2024)

    assert document.status == D.READY, document.error
    paid = Contribution.objects.filter(
        member=member, period__year=2024, paid_date__isnull=False
    ).aggregate(jht=Sum(F("jht_employer") + F("jht_employee")))["jht"]
    assert paid == 3_600_000
    # 2023: 6 % on each month's 300,000 for the months left after it = 99,000.
    opening = 3_600_000 + 99_000
    # 2024: 5 % on the opening balance and on each month's 300,000 as above.
    returns = 267_450
    closing = opening + paid + returns
    pdf = read_pdf(document)
    assert len(pdf.pages) == 1
    assert "JHT balance statement 2024" in pdf.text
    assert member.full_name in pdf.text
    assert member.kpj_number in pdf.text
    assert f"Opening balance {rupiah(opening, 'en')}" in pdf.text
    assert f"Contributions {rupiah(paid, 'en')}" in pdf.text
    assert f"Development return (5.00%) {rupiah(returns, 'en')}" in pdf.text
    assert f"Closing balance {rupiah(closing, 'en')}" in pdf.text
    assert closing == 7_566_450
    assert "JHT balance statement" in pdf.title
    assert pdf.reader.metadata.author == AUTHOR
    assert verify_url(document) in pdf.text
    assert document.display_code in pdf.text


@pytest.mark.parametrize(
    "name",
    [
        "Siti Rahayu",
        "Raden Ajeng Kartini Sulistyaningsih Wulandari Putri Kusumawardhani",
    ],
)
def test_membership_card_is_one_page_of_bank_card_size(
    employer, request_document, name
):
    member = MemberFactory(full_name=name)
    Contribution.objects.create(
        member=member,
        employer=employer,
        period=date(2024, 12, 1),
        wage=5_000_000,
        jht_employer=185_000,
        jht_employee=100_000,
        jp_employer=100_000,
        jp_employee=50_000,
        jkk=12_000,
        jkm=15_000,
        paid_date=date(2025, 1, 10),
    )

    document = request_document(member, K.MEMBERSHIP_CARD)

    assert document.status == D.READY, document.error
    pdf = read_pdf(document)
    assert len(pdf.pages) == 1
    box = pdf.reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(ID1_POINTS[0], abs=0.5)
    assert float(box.height) == pytest.approx(ID1_POINTS[1], abs=0.5)
    assert name in pdf.text
    assert member.kpj_number in pdf.text
    # JKP covers members of JHT, JKK and JKM since February 2021 without any
    # payment of its own (PP 37/2021 art. 4 and 11).
    assert "JHT · JKK · JKM · JP · JKP" in pdf.text
    assert "Digital membership card" in pdf.title
    assert pdf.reader.metadata.author == AUTHOR
    assert document.display_code in pdf.text


def test_claim_receipt_then_decision_letter(member, staff, request_document):
    claim = Claim.objects.create(
        member=member,
        programme="JHT",
        reason=Claim.Reason.RESIGNATION,
        status=Claim.Status.SUBMITTED,
        submitted_at=timezone.now(),
        bank_account_holder=member.full_name,
        **BANK,
    )

    receipt = request_document(member, K.CLAIM_RECEIPT, claim_id=claim.pk)

    assert receipt.status == D.READY, receipt.error
    pdf = read_pdf(receipt)
    assert "Claim receipt" in pdf.text
    assert "Claim decision letter" not in pdf.text
    assert f"{member.full_name} ({member.kpj_number})" in pdf.text
    assert claim.number in pdf.text
    assert "Old-age savings (JHT) — Resigned" in pdf.text
    assert "Status Submitted" in pdf.text
    # The account is named by its last four digits only.
    assert "3567" in pdf.text
    assert BANK["bank_account_number"] not in pdf.text
    assert f"Claim {claim.number}" in pdf.title
    assert pdf.reader.metadata.author == AUTHOR
    assert verify_url(receipt) in pdf.text

    claim_transition(claim_id=claim.pk, to=Claim.Status.VERIFYING, actor=staff)
    claim_transition(
        claim_id=claim.pk,
        to=Claim.Status.APPROVED,
        actor=staff,
        note="All documents are in order.",
        approved_amount=12_345_678,
    )
    decision = request_document(member, K.CLAIM_RECEIPT, claim_id=claim.pk)

    assert decision.pk != receipt.pk
    assert decision.status == D.READY, decision.error
    pdf = read_pdf(decision)
    assert "Claim decision letter" in pdf.text
    assert "Status Approved" in pdf.text
    assert "Approved amount Rp 12,345,678" in pdf.text
    assert "All documents are in order." in pdf.text
    assert claim.number in pdf.text
    assert verify_url(decision) in pdf.text
    receipt.refresh_from_db()
    assert receipt.status == D.READY


def test_an_indonesian_document_and_its_pages_are_in_indonesian(
    member, client, request_document
):
    """Indonesian is the site's language: no English left in what members read."""
    document = request_document(
        member, K.CONTRIBUTION_STATEMENT, "id", year_from=2024, year_to=2024
    )
    pdf = read_pdf(document).text
    page = page_text(client.get(verify_path(document.code), HTTP_ACCEPT_LANGUAGE="id"))

    english = [
        f"PDF: {phrase}"
        for phrase in (
            "Contribution statement",
            "Member portal",
            "Issued:",
            "Total of all programmes",
            "Anyone can check that this document is genuine",
            "Verify at",
        )
        if phrase in pdf
    ] + [
        f"verify page: {phrase}"
        for phrase in (
            "This document is genuine",
            "BPJS Ketenagakerjaan issued this document.",
            "SHA-256 of the PDF",
        )
        if phrase in page
    ]
    assert english == [], "English in Indonesian: " + "; ".join(english)


# -- same data, same file ------------------------------------------------------


def test_unchanged_data_gives_the_stored_file_changed_data_a_new_version(
    member, employer, statutory_figures, login, django_capture_on_commit_callbacks
):
    months(member, employer, first=date(2023, 1, 1), count=23)
    client = login(member)
    form = {"kind": K.CONTRIBUTION_STATEMENT, "year_from": 2023, "year_to": 2024}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, form)

    assert response.status_code == 302
    assert response.url == LIST
    first = GeneratedDocument.objects.get()
    assert first.status == D.READY, first.error
    assert first.member == member
    assert first.params == {"year_from": 2023, "year_to": 2024}
    assert first.language == "en"
    first_bytes = stored_bytes(first)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, form, follow=True)

    assert "Nothing changed since this document was made: here it is." in page_text(
        response
    )
    again = GeneratedDocument.objects.get()
    assert (again.pk, again.code, again.sha256, again.file.name) == (
        first.pk,
        first.code,
        first.sha256,
        first.file.name,
    )
    assert stored_bytes(again) == first_bytes

    months(member, employer, first=date(2024, 12, 1), count=1, wage=6_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, form)

    assert GeneratedDocument.objects.count() == 2
    new = GeneratedDocument.objects.exclude(pk=first.pk).get()
    assert new.status == D.READY, new.error
    assert new.code != first.code
    assert new.sha256 != first.sha256
    assert "2024-12 PT Nusantara Digital" in read_pdf(new).text
    assert "2024-12 PT Nusantara Digital" not in read_pdf(first).text
    # The older version is still stored, unchanged, and still genuine.
    first.refresh_from_db()
    assert first.status == D.READY
    assert stored_bytes(first) == first_bytes
    for version in (first, new):
        response = client.get(verify_path(version.code))
        assert response.status_code == 200
        assert "This document is genuine" in page_text(response)
        assert version.sha256 in page_text(response)


# -- the member's list and downloads --------------------------------------------


def document_items(response) -> list[str]:
    listing = re.search(
        r'<ul class="document-list">(.*?)</ul>', response.content.decode(), re.S
    )
    assert listing, "no list of documents on the page"
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S)
    ]


def test_list_shows_statuses_and_refreshes_itself_while_one_is_pending(
    member, other_member, login, request_document
):
    card = request_document(member, K.MEMBERSHIP_CARD)
    # Not committed, so not rendered: it waits for the worker.
    waiting = document_request(
        member=member, kind=K.JHT_STATEMENT, params={"year": 2024}, language="en"
    )
    theirs = request_document(other_member, K.MEMBERSHIP_CARD)
    client = login(member)

    response = client.get(LIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert REFRESH in content
    statement, card_item = document_items(response)  # newest first
    assert statement.startswith("JHT balance statement 2024")
    assert "Waiting" in statement
    assert "Download PDF" not in statement
    assert card_item.startswith("Digital membership card")
    assert "Ready" in card_item
    assert "Download PDF" in card_item
    assert card.display_code in card_item
    assert f'href="{download_path(card)}"' in content
    assert download_path(waiting) not in content
    assert theirs.display_code not in content
    assert download_path(theirs) not in content

    document_render(document_id=waiting.pk)
    response = client.get(LIST)

    assert REFRESH not in response.content.decode()
    items = document_items(response)
    assert all("Ready" in item and "Download PDF" in item for item in items)


def test_list_speaks_the_members_language(member, login, request_document):
    card = request_document(member, K.MEMBERSHIP_CARD)
    client = login(member)
    client.post(reverse("set_language"), {"language": "id", "next": "/"})

    (item,) = document_items(client.get(LIST))

    with translation.override("id"):
        requested = formats.date_format(
            timezone.localtime(card.created_at), "DATETIME_FORMAT"
        )
    assert item == (
        f"Kartu peserta digital · {requested} · Siap · Unduh PDF · {card.display_code}"
    )


def test_list_query_count_does_not_grow_with_documents(
    member, login, request_document, django_assert_num_queries
):
    for year in (2021, 2022, 2023):
        request_document(member, K.JHT_STATEMENT, year=year)
    client = login(member)
    client.get(LIST)  # the first page after sign-in saves the session

    # The member, their claims for the form and the version of their kept list;
    # the list comes from the cache.
    with django_assert_num_queries(3):
        assert client.get(LIST).status_code == 200


def test_request_form_offers_a_claim_once_it_is_submitted(member, login, staff):
    claim = Claim.objects.create(member=member, programme="JKK", reason="accident")
    client = login(member)
    assert claim.number not in client.get(LIST).content.decode()

    claim_transition(claim_id=claim.pk, to=Claim.Status.SUBMITTED, actor=member)

    assert f'<option value="{claim.pk}">{claim.number}</option>' in (
        client.get(LIST).content.decode()
    )


def test_download_serves_only_the_owners_ready_files(
    member, other_member, login, client, request_document
):
    mine = request_document(member, K.MEMBERSHIP_CARD)
    theirs = request_document(other_member, K.MEMBERSHIP_CARD)
    waiting = document_request(
        member=member, kind=K.JHT_STATEMENT, params={"year": 2024}, language="en"
    )

    anonymous = client.get(download_path(mine))
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))

    login(member)
    response = client.get(download_path(mine))

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == mine.sha256
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="membership_card-{mine.code}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert client.get(download_path(theirs)).status_code == 404
    assert client.get(download_path(waiting)).status_code == 404
    missing = reverse("documents:download", args=[theirs.pk + 1000])
    assert client.get(missing).status_code == 404


# -- public verification -----------------------------------------------------------


def test_verify_shows_kind_date_masked_name_and_file_hash_only(
    member, client, request_document
):
    document = request_document(member, K.MEMBERSHIP_CARD)

    response = client.get(verify_path(document.code))

    assert response.status_code == 200
    content = response.content.decode()
    text = page_text(response)
    assert "This document is genuine" in text
    assert "Digital membership card" in text
    with translation.override("en"):
        issued = formats.date_format(
            timezone.localtime(document.ready_at), "DATETIME_FORMAT"
        )
    assert issued in text
    # First and last letter of each word (ibsu.lib.masking.mask_name).
    assert "S**i R****u" in text
    shown = re.search(r'class="mono hash">([0-9a-f]{64})<', content)
    assert shown, "no SHA-256 on the page"
    assert shown.group(1) == hashlib.sha256(stored_bytes(document)).hexdigest()
    secrets = [member.kpj_number, member.nik, member.email, member.full_name]
    assert [secret for secret in secrets if secret in content] == []
    assert "Siti" not in content
    assert "Rahayu" not in content
    # Typed from paper: with dashes, in small letters.
    typed = client.get(verify_path(document.display_code.lower()))
    assert typed.status_code == 200
    assert "This document is genuine" in page_text(typed)


def test_verify_refuses_unknown_and_unfinished_codes(member, client):
    waiting = document_request(
        member=member, kind=K.MEMBERSHIP_CARD, params={}, language="en"
    )

    for code in ("ZZZZZZZZZZZZ", waiting.code):
        response = client.get(verify_path(code))

        assert response.status_code == 404
        text = page_text(response)
        assert "Not a genuine document" in text
        assert "This document is genuine" not in text
        assert member.full_name not in text


def test_verify_is_rate_limited_per_address(member, client, settings):
    settings.VERIFY_LIMIT = 3
    settings.VERIFY_WINDOW_SECONDS = 60
    # Ten seconds into a window, and the clock stands still: no window edge.
    with time_machine.travel(datetime(2026, 1, 5, 8, 0, 10, tzinfo=UTC), tick=False):
        answers = [
            client.get(verify_path("ZZZZZZZZZZZZ")).status_code for _ in range(3)
        ]
        limited = client.get(verify_path("ZZZZZZZZZZZZ"))
        elsewhere = client.get(verify_path("ZZZZZZZZZZZZ"), REMOTE_ADDR="10.1.2.3")

    assert answers == [404, 404, 404]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "50"
    assert "Not a genuine document" not in page_text(limited)
    assert elsewhere.status_code == 404


# -- the yearly statements command ----------------------------------------------


@pytest.fixture
def savers(member, other_member, employer):
    """Two members paying in 2024, and one who never paid anything."""
    for person in (member, other_member):
        Contribution.objects.bulk_create(
            Contribution(
                member=person,
                employer=employer,
                period=date(2024, month, 1),
                wage=5_000_000,
                jht_employer=185_000,
                jht_employee=100_000,
                paid_date=date(2024 + month // 12, month % 12 + 1, 10),
            )
            for month in range(1, 13)
        )
    MemberFactory(full_name="Tanpa Iuran")
    return [member, other_member]


@pytest.fixture
def send_statements(django_capture_on_commit_callbacks):
    def _run(*args) -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_statements", *args, stdout=out)
        return out.getvalue()

    return _run


def test_send_statements_makes_one_statement_per_member_and_emails_each_once(
    savers, send_statements
):
    output = send_statements("--year", "2024")

    statements = GeneratedDocument.objects.filter(kind=K.JHT_STATEMENT)
    assert sorted(statements.values_list("member_id", flat=True)) == sorted(
        person.pk for person in savers
    )
    assert GeneratedDocument.objects.count() == 2
    for statement in statements:
        assert statement.status == D.READY, statement.error
        assert statement.params == {"year": 2024}
        assert statement.notified_at is not None
    assert "2 member(s): 2 statement(s) queued, 0 already made." in output
    assert sorted(message.to for message in mail.outbox) == sorted(
        [person.email] for person in savers
    )
    for message in mail.outbox:
        assert message.subject.startswith("Your document is ready")
        assert "http://testserver/documents/" in message.body
        assert message.attachments == []
    made = sorted(statements.values_list("pk", "sha256"))

    output = send_statements("--year", "2024")

    assert sorted(statements.values_list("pk", "sha256")) == made
    assert GeneratedDocument.objects.count() == 2
    assert len(mail.outbox) == 2
    assert "2 member(s): 0 statement(s) queued, 2 already made." in output


def test_send_statements_for_one_member(savers, other_member, send_statements):
    output = send_statements("--year", "2024", "--member", other_member.kpj_number)

    statement = GeneratedDocument.objects.get()
    assert statement.member == other_member
    assert statement.status == D.READY, statement.error
    assert [message.to for message in mail.outbox] == [[other_member.email]]
    assert "1 member(s): 1 statement(s) queued" in output


def test_send_statements_refuses_unknown_members_and_future_years(
    savers, send_statements
):
    without = MemberFactory(full_name="Belum Bekerja")
    next_year = str(timezone.localdate().year + 1)

    with pytest.raises(CommandError, match="No member 99999999999"):
        send_statements("--year", "2024", "--member", "99999999999")
    with pytest.raises(CommandError, match=f"No member {without.kpj_number}"):
        send_statements("--year", "2024", "--member", without.kpj_number)
    with pytest.raises(CommandError, match="not started"):
        send_statements("--year", next_year)

    assert GeneratedDocument.objects.count() == 0
    assert mail.outbox == []


# -- rendering failure ---------------------------------------------------------------


def test_a_render_failing_after_the_list_was_seen_shows_as_failed(
    member, login, monkeypatch
):
    waiting = document_request(
        member=member, kind=K.MEMBERSHIP_CARD, params={}, language="en"
    )
    client = login(member)
    seen = []

    def broken(document, data):
        seen.extend(document_items(client.get(LIST)))  # the member looks meanwhile
        raise RuntimeError("no fonts")

    monkeypatch.setattr("documents.services.render_pdf", broken)
    with pytest.raises(RuntimeError):
        document_render(document_id=waiting.pk)

    assert "Being made" in seen[0]
    response = client.get(LIST)
    (item,) = document_items(response)
    assert "Failed" in item
    assert REFRESH not in response.content.decode()


def test_a_document_removed_by_the_cleanup_leaves_the_list(
    member, login, request_document
):
    card = request_document(member, K.MEMBERSHIP_CARD)
    client = login(member)
    assert len(document_items(client.get(LIST))) == 1
    # A failed render of long ago: `cleanup` removes it.
    GeneratedDocument.objects.filter(pk=card.pk).update(
        status=D.FAILED, created_at=timezone.now() - timedelta(days=400)
    )
    invalidate("documents", [member.pk])  # as the service that failed it does
    assert "Please request it again." in page_text(client.get(LIST))  # kept

    cleanup_run(dry_run=False)

    assert "No documents yet." in page_text(client.get(LIST))


def test_a_failed_render_is_marked_failed_and_can_be_requested_again(
    member, login, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broken(document, data):
        attempts.append(document.pk)
        raise RuntimeError("no fonts")

    # The one edge a test cannot reach otherwise: WeasyPrint itself failing.
    monkeypatch.setattr("documents.services.render_pdf", broken)
    client = login(member)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"kind": K.MEMBERSHIP_CARD})

    failed = GeneratedDocument.objects.get()
    assert attempts
    assert set(attempts) == {failed.pk}
    assert failed.status == D.FAILED
    assert failed.error == "RuntimeError: no fonts"
    assert (failed.file.name or "", failed.sha256, failed.ready_at) == ("", "", None)
    response = client.get(LIST)
    (item,) = document_items(response)
    assert "Failed" in item
    assert "Please request it again." in item
    assert REFRESH not in response.content.decode()
    assert client.get(download_path(failed)).status_code == 404
    assert client.get(verify_path(failed.code)).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"kind": K.MEMBERSHIP_CARD})

    assert GeneratedDocument.objects.count() == 2
    again = GeneratedDocument.objects.exclude(pk=failed.pk).get()
    assert again.status == D.READY, again.error
    failed.refresh_from_db()
    assert failed.status == D.FAILED


@pytest.mark.parametrize(
    ("period", "programmes"),
    [
        (date(2021, 1, 1), ["JHT", "JKK", "JKM", "JP"]),
        # JKP began on 2 February 2021 (PP 37/2021): the card shows the cover,
        # though the employer pays nothing for it.
        (date(2021, 2, 1), ["JHT", "JKK", "JKM", "JP", "JKP"]),
    ],
    ids=str,
)
def test_membership_card_lists_jkp_from_february_2021(employer, period, programmes):
    from documents.content import membership_card

    member = MemberFactory()
    Contribution.objects.create(
        member=member,
        employer=employer,
        period=period,
        wage=5_000_000,
        jht_employer=185_000,
        jht_employee=100_000,
        jp_employer=100_000,
        jp_employee=50_000,
        jkk=12_000,
        jkm=15_000,
        paid_date=date(2021, 3, 10),
    )

    card = membership_card(member=member, today=date(2021, 4, 1))

    assert card["programmes"] == programmes
