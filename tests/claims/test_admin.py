"""Claims in the admin: finding them, deciding them through the actions, roles."""

import html

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from claims.models import Claim, ClaimDocument, ClaimEvent
from tests.factories import MemberFactory, decided

pytestmark = pytest.mark.django_db

S = Claim.Status
CHANGELIST = "admin:claims_claim_changelist"
DECIDE_ACTIONS = [
    "start_verification",
    "request_information",
    "approve",
    "reject",
    "mark_paid",
]


def page_text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def listed(response) -> set[int]:
    return {claim.pk for claim in response.context["cl"].result_list}


def claim_for(member, status=S.SUBMITTED, programme="JKK", reason="accident"):
    return Claim.objects.create(
        member=member,
        programme=programme,
        reason=reason,
        status=status,
        **decided(status),
    )


def act(client, action, claims, **decision):
    """Choose an action for `claims` on the changelist; with `decision`, also
    answer the intermediate page, as its form does."""
    data = {"action": action, "_selected_action": [claim.pk for claim in claims]}
    if decision:
        data.update({"apply": "1", "note": "", "amount": "", "reference": ""})
        data.update(decision)
    return client.post(reverse(CHANGELIST), data)


def events(claim) -> list[tuple[str, str]]:
    return list(
        ClaimEvent.objects.filter(claim=claim).values_list("from_status", "to_status")
    )


def staff_in(group: str, enable_totp):
    user = MemberFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    enable_totp(user)
    return user


@pytest.fixture
def admin_client(client, login, verified_staff):
    login(verified_staff)
    return client


# --- Finding claims ---------------------------------------------------------------


def test_filter_by_status(admin_client, member, other_member):
    submitted = claim_for(member, S.SUBMITTED)
    claim_for(member, S.DRAFT)
    verifying = claim_for(other_member, S.VERIFYING)

    response = admin_client.get(reverse(CHANGELIST), {"status__exact": S.SUBMITTED})
    assert response.status_code == 200
    assert listed(response) == {submitted.pk}
    response = admin_client.get(reverse(CHANGELIST), {"status__exact": S.VERIFYING})
    assert listed(response) == {verifying.pk}


def test_filter_by_programme(admin_client, member):
    jkk = claim_for(member, programme="JKK", reason="accident")
    jht = claim_for(member, programme="JHT", reason="disability")
    jp = claim_for(member, programme="JP", reason="age")

    for claim in (jkk, jht, jp):
        response = admin_client.get(
            reverse(CHANGELIST), {"programme__exact": claim.programme}
        )
        assert listed(response) == {claim.pk}


def test_all_claims_are_listed_with_their_numbers(admin_client, member, other_member):
    claims = [claim_for(member), claim_for(other_member, S.PAID)]

    response = admin_client.get(reverse(CHANGELIST))

    assert listed(response) == {claim.pk for claim in claims}
    text = page_text(response)
    for claim in claims:
        assert claim.number in text


@pytest.mark.parametrize("field", ["kpj_number", "nik"])
def test_search_by_kpj_and_nik(admin_client, member, other_member, field):
    mine = claim_for(member)
    claim_for(other_member)

    response = admin_client.get(reverse(CHANGELIST), {"q": getattr(member, field)})

    assert listed(response) == {mine.pk}


def test_search_by_claim_number(admin_client, member, other_member):
    claim_for(member)
    wanted = claim_for(other_member)

    for query in (wanted.number, wanted.number.lower(), f"  {wanted.number} "):
        response = admin_client.get(reverse(CHANGELIST), {"q": query})
        assert listed(response) == {wanted.pk}, query


@pytest.mark.parametrize(
    "query", ["KLM-2026-abc", "KLM-", "KLM-2026-999999", "31710115039"]
)
def test_search_for_no_claim_finds_nothing(admin_client, member, query):
    claim_for(member)

    response = admin_client.get(reverse(CHANGELIST), {"q": query})

    assert response.status_code == 200
    assert listed(response) == set()


def test_search_by_claim_number_with_another_year_finds_nothing(admin_client, member):
    claim = claim_for(member)
    year = claim.created_at.year

    response = admin_client.get(
        reverse(CHANGELIST), {"q": f"KLM-{year - 1}-{claim.pk:06d}"}
    )

    assert listed(response) == set()


def test_claim_page_shows_documents_and_history(admin_client, member, verified_staff):
    claim = claim_for(member, S.VERIFYING)
    document = ClaimDocument.objects.create(
        claim=claim,
        kind=ClaimDocument.Kind.ID_CARD,
        file="claims/0/none",
        original_name="ktp.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    ClaimEvent.objects.create(
        claim=claim, from_status=S.SUBMITTED, to_status=S.VERIFYING, note="Dicek."
    )

    response = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert response.status_code == 200
    text = page_text(response)
    assert reverse("claims:document", args=[claim.pk, document.pk]) in text
    assert "Dicek." in text


def test_the_claim_form_changes_nothing(admin_client, member):
    claim = claim_for(member, S.VERIFYING)

    admin_client.post(
        reverse("admin:claims_claim_change", args=[claim.pk]),
        {"status": S.PAID, "approved_amount": "999", "payment_reference": "X"},
    )

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount, claim.payment_reference) == (
        S.VERIFYING,
        None,
        "",
    )


# --- Actions ----------------------------------------------------------------------


def test_an_action_first_asks_on_an_intermediate_page(admin_client, member):
    claim = claim_for(member, S.SUBMITTED)

    response = act(admin_client, "start_verification", [claim])

    assert response.status_code == 200
    text = page_text(response)
    assert "Start verification" in text
    assert claim.number in text
    assert 'name="note"' in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert events(claim) == []


def test_start_verification(admin_client, member, verified_staff):
    claim = claim_for(member, S.SUBMITTED)

    response = act(admin_client, "start_verification", [claim], note="")

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.VERIFYING
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.from_status, event.to_status, event.actor) == (
        S.SUBMITTED,
        S.VERIFYING,
        verified_staff,
    )
    page = page_text(admin_client.get(response.url))
    assert "Start verification: 1 claim." in page


def test_request_information_asks_for_the_note(admin_client, member, verified_staff):
    claim = claim_for(member, S.VERIFYING)

    page = act(admin_client, "request_information", [claim])
    assert page.status_code == 200
    assert "Note for the member" in page_text(page)
    refused = act(admin_client, "request_information", [claim], note="")
    assert refused.status_code == 200
    assert "Fill in: Note for the member" in page_text(refused)
    claim.refresh_from_db()
    assert claim.status == S.VERIFYING

    note = "Mohon unggah surat keterangan dokter yang ditandatangani."
    done = act(admin_client, "request_information", [claim], note=note)

    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.NEEDS_INFO
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.to_status, event.note, event.actor) == (
        S.NEEDS_INFO,
        note,
        verified_staff,
    )


def test_approve_needs_the_amount(admin_client, member, verified_staff):
    claim = claim_for(member, S.VERIFYING)

    page = act(admin_client, "approve", [claim])
    assert "Approved amount (Rp)" in page_text(page)
    refused = act(admin_client, "approve", [claim], note="Lengkap.")
    assert "Fill in: Approved amount (Rp)" in page_text(refused)
    negative = act(admin_client, "approve", [claim], amount="-5")
    assert negative.status_code == 200
    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.VERIFYING, None)

    act(admin_client, "approve", [claim], amount="4250000", note="Lengkap.")

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.APPROVED, 4_250_000)
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.to_status, event.note, event.actor) == (
        S.APPROVED,
        "Lengkap.",
        verified_staff,
    )


def test_approving_zero_rupiah_is_an_amount(admin_client, member):
    claim = claim_for(member, S.VERIFYING)

    act(admin_client, "approve", [claim], amount="0", note="Saldo nol.")

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.APPROVED, 0)


def test_reject_needs_a_note(admin_client, member, verified_staff):
    claim = claim_for(member, S.VERIFYING)

    refused = act(admin_client, "reject", [claim], note="")
    assert "Fill in: Note for the member" in page_text(refused)
    claim.refresh_from_db()
    assert claim.status == S.VERIFYING

    act(admin_client, "reject", [claim], note="Masa tunggu belum lewat.")

    claim.refresh_from_db()
    assert claim.status == S.REJECTED
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.to_status, event.note, event.actor) == (
        S.REJECTED,
        "Masa tunggu belum lewat.",
        verified_staff,
    )


def test_mark_paid_needs_the_reference(admin_client, member, verified_staff):
    claim = claim_for(member, S.APPROVED)

    refused = act(admin_client, "mark_paid", [claim], reference="")
    assert "Fill in: Payment reference" in page_text(refused)
    claim.refresh_from_db()
    assert claim.status == S.APPROVED

    act(admin_client, "mark_paid", [claim], reference="TRF-2026-0042")

    claim.refresh_from_db()
    assert (claim.status, claim.payment_reference) == (S.PAID, "TRF-2026-0042")
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.to_status, event.actor) == (S.PAID, verified_staff)


def test_an_action_sets_only_its_own_field(admin_client, member):
    claim = claim_for(member, S.VERIFYING)

    act(admin_client, "reject", [claim], note="Tidak lengkap.", amount="100")

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.REJECTED, None)


def test_approving_a_draft_is_refused_and_changes_nothing(admin_client, member):
    claim = claim_for(member, S.DRAFT)

    response = act(admin_client, "approve", [claim], amount="1000000")

    assert response.status_code == 302
    text = page_text(admin_client.get(response.url))
    assert f"{claim.number}: A claim that is draft cannot become approved." in text
    assert "claim." not in text
    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.DRAFT, None)
    assert events(claim) == []


def test_a_mixed_selection_moves_the_legal_claims_only(
    admin_client, member, other_member
):
    ready = claim_for(member, S.VERIFYING)
    paid = claim_for(other_member, S.PAID)

    response = act(admin_client, "approve", [ready, paid], amount="500000")

    text = page_text(admin_client.get(response.url))
    assert "Approve: 1 claim." in text
    assert f"{paid.number}: A claim that is paid cannot become approved." in text
    assert Claim.objects.get(pk=ready.pk).status == S.APPROVED
    assert Claim.objects.get(pk=paid.pk).status == S.PAID
    assert events(paid) == []


def test_the_member_is_emailed_about_a_decision(
    admin_client, member, django_capture_on_commit_callbacks
):
    claim = claim_for(member, S.VERIFYING)

    with django_capture_on_commit_callbacks(execute=True):
        act(admin_client, "reject", [claim], note="Masa tunggu belum lewat.")

    sent = [m for m in mail.outbox if claim.number in m.subject]
    assert [m.subject for m in sent] == [f"Your claim {claim.number}: Rejected"]
    assert sent[0].to == [member.email]
    assert "Masa tunggu belum lewat." in sent[0].body


# --- Roles ------------------------------------------------------------------------


def action_choices(response) -> set[str]:
    """The actions offered on a changelist page (none: no action form)."""
    form = response.context["action_form"]
    if form is None:
        return set()
    return {name for name, _label in form.fields["action"].choices if name}


def test_claims_officer_decides_claims(client, login, enable_totp, member):
    officer = staff_in("Claims officer", enable_totp)
    claim = claim_for(member, S.SUBMITTED)
    login(officer)

    changelist = client.get(reverse(CHANGELIST))
    assert changelist.status_code == 200
    assert set(DECIDE_ACTIONS) <= action_choices(changelist)
    act(client, "start_verification", [claim], note="")
    act(client, "approve", [claim], amount="3000000")
    act(client, "mark_paid", [claim], reference="TRF-1")

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount, claim.payment_reference) == (
        S.PAID,
        3_000_000,
        "TRF-1",
    )
    assert list(
        ClaimEvent.objects.filter(claim=claim).values_list("to_status", "actor")
    ) == [(S.VERIFYING, officer.pk), (S.APPROVED, officer.pk), (S.PAID, officer.pk)]


def test_member_support_views_claims_but_cannot_decide(
    client, login, enable_totp, member
):
    support = staff_in("Member support", enable_totp)
    claim = claim_for(member, S.VERIFYING)
    login(support)

    changelist = client.get(reverse(CHANGELIST))
    assert changelist.status_code == 200
    assert listed(changelist) == {claim.pk}
    assert not set(DECIDE_ACTIONS) & action_choices(changelist)
    change = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert change.status_code == 200
    assert claim.number in page_text(change)

    for action, decision in (
        ("approve", {"amount": "1000000"}),
        ("reject", {"note": "Tidak."}),
        ("request_information", {"note": "Apa?"}),
    ):
        act(client, action, [claim])
        act(client, action, [claim], **decision)

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.VERIFYING, None)
    assert events(claim) == []


def test_member_support_does_not_see_claim_documents(
    client, login, enable_totp, member
):
    support = staff_in("Member support", enable_totp)
    claim = claim_for(member, S.VERIFYING)
    ClaimDocument.objects.create(
        claim=claim,
        kind=ClaimDocument.Kind.ID_CARD,
        file="claims/0/none",
        original_name="ktp-siti.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    login(support)

    change = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert change.status_code == 200
    assert "ktp-siti.pdf" not in page_text(change)


def test_staff_without_a_second_factor_cannot_use_the_claims_admin(
    client, login, member
):
    officer = MemberFactory(is_staff=True)
    officer.groups.add(Group.objects.get(name="Claims officer"))
    claim = claim_for(member, S.VERIFYING)
    login(officer)

    response = act(client, "approve", [claim], amount="1")

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == S.VERIFYING


def test_a_member_cannot_reach_the_claims_admin(client, login, member):
    claim = claim_for(member, S.VERIFYING)
    login(member)

    assert client.get(reverse(CHANGELIST)).status_code == 302
    act(client, "approve", [claim], amount="1")

    claim.refresh_from_db()
    assert claim.status == S.VERIFYING
