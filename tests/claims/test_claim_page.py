"""The claim's page reads its documents and timeline from a cached copy: each
change to them must show on the next view, and the page's queries stay few."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimDocument
from tests.claims.test_workflow import complete, draft, fill_in, page_text, png, today

pytestmark = pytest.mark.django_db

S = Claim.Status
K = ClaimDocument.Kind


def detail(client, claim) -> str:
    response = client.get(reverse("claims:detail", args=[claim.pk]))
    assert response.status_code == 200
    return page_text(response)


def test_an_uploaded_document_shows_at_once(client, login, member):
    claim = fill_in(draft(member))
    login(member)
    assert "Upload: Employer's accident report" in detail(client, claim)

    client.post(
        reverse("claims:upload", args=[claim.pk]),
        {"kind": K.ACCIDENT_REPORT, "file": png("laporan.png")},
    )

    page = detail(client, claim)
    assert "laporan.png" in page
    assert "Upload: Employer's accident report" not in page


def test_a_document_removed_by_staff_is_gone_and_missing_again(
    client, login, member, staff
):
    claim = complete(member)
    report = claim.documents.get(kind=K.ACCIDENT_REPORT)
    report_url = reverse("claims:document", args=[claim.pk, report.pk])
    login(member)
    assert report_url in client.get(reverse("claims:detail", args=[claim.pk])).text

    services.claim_document_remove(document=report, actor=staff)

    response = client.get(reverse("claims:detail", args=[claim.pk]))
    assert report_url not in response.text
    assert "Upload: Employer's accident report" in page_text(response)


def test_a_staff_decision_shows_on_the_timeline_at_once(client, login, member, staff):
    claim = complete(member)
    services.claim_submit(claim=claim, actor=member, today=today())
    login(member)
    assert "Being verified" not in detail(client, claim)

    services.claim_transition(claim_id=claim.pk, to=S.VERIFYING, actor=staff)
    services.claim_transition(
        claim_id=claim.pk, to=S.NEEDS_INFO, actor=staff, note="Foto KTP buram."
    )

    page = detail(client, claim)
    assert "Being verified" in page
    assert "Foto KTP buram." in page


def test_saving_a_copy_loaded_before_an_upload_keeps_the_upload_visible(
    client, login, member
):
    claim = fill_in(draft(member))
    copy_from_before = Claim.objects.get(pk=claim.pk)
    login(member)
    detail(client, claim)
    services.claim_document_add(claim=claim, kind=K.ACCIDENT_REPORT, upload=png())

    # The member's other tab saves their bank details from its older copy.
    services.claim_update(claim=copy_from_before, data={"bank_name": "Bank Mandiri"})

    page = detail(client, claim)
    assert "Bank Mandiri" not in page  # the details page shows it, not this one
    assert "Upload: Employer's accident report" not in page
    assert Claim.objects.get(pk=claim.pk).bank_name == "Bank Mandiri"


def test_each_claim_shows_only_its_own_documents(client, login, member):
    first = fill_in(draft(member))
    second = fill_in(draft(member, programme="JHT", reason=Claim.Reason.RESIGNATION))
    services.claim_document_add(
        claim=first, kind=K.ACCIDENT_REPORT, upload=png("first.png")
    )
    services.claim_document_add(claim=second, kind=K.ID_CARD, upload=png("second.png"))
    login(member)

    first_page, second_page = detail(client, first), detail(client, second)

    assert "first.png" in first_page and "second.png" not in first_page
    assert "second.png" in second_page and "first.png" not in second_page


def test_query_count_does_not_grow_with_documents_or_events(
    client, login, member, staff, django_assert_num_queries
):
    claim = complete(member)
    services.claim_submit(claim=claim, actor=member, today=today())
    for status in (S.VERIFYING, S.NEEDS_INFO):
        services.claim_transition(claim_id=claim.pk, to=status, actor=staff)
    for _ in range(5):
        services.claim_document_add(claim=claim, kind=K.OTHER, upload=png())
    login(member)
    url = reverse("claims:detail", args=[claim.pk])

    # First view: the claim, its documents, its events and the member's figures.
    assert client.get(url).status_code == 200
    # Later views: the member, the claim row and the version of its kept parts;
    # the rest comes from the cache.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_query_count_of_the_claims_list_does_not_grow(
    client, login, member, django_assert_num_queries
):
    for reason in (Claim.Reason.ACCIDENT, Claim.Reason.RESIGNATION):
        draft(member, programme="JKK" if reason == "accident" else "JHT", reason=reason)
    login(member)
    client.get(reverse("claims:list"))  # the first page after sign-in saves the session

    with django_assert_num_queries(2):
        assert client.get(reverse("claims:list")).status_code == 200


def test_blank_upload_form_speaks_the_pages_language(client, login, member):
    claim = fill_in(draft(member))
    login(member)

    english = detail(client, claim)
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    indonesian = detail(client, claim)

    assert "Which document" in english
    assert "Which document" not in indonesian
    assert "Jenis dokumen" in indonesian


def test_a_claim_id_handed_out_again_shows_nothing_of_the_old_claim(
    client, login, member, other_member
):
    # As after a database restored from a backup, with Redis left as it was.
    old = fill_in(draft(other_member))
    services.claim_document_add(
        claim=old, kind=K.ACCIDENT_REPORT, upload=png("old-report.png")
    )
    login(other_member)
    assert "old-report.png" in detail(client, old)
    client.post(reverse("accounts:logout"))
    old.refresh_from_db()
    pk = old.pk
    old.delete()

    new = draft(member, pk=pk)
    login(member)

    assert "old-report.png" not in detail(client, new)
