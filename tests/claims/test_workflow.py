"""The claim workflow through the member's pages and the services.

draft → submitted → verifying → approved → paid, or verifying → needs_info →
submitted, or verifying → rejected; the member may cancel before verification.
"""

import html
import io
import re
from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from PIL import Image

from claims import services
from claims.eligibility import REASONS, member_facts, required_documents
from claims.models import Claim, ClaimDocument, ClaimEvent
from contributions.models import Contribution, Employer, Employment
from tests.factories import MemberFactory, decided

pytestmark = pytest.mark.django_db

S = Claim.Status
R = Claim.Reason
K = ClaimDocument.Kind
BANK = {
    "bank_name": "Bank Rakyat Indonesia",
    "bank_account_number": "002301000123567",
}
ACCIDENT = {
    "accident_date": "2025-03-14",
    "accident_place": "Gudang PT Contoh, Jakarta",
    "accident_description": "Tergelincir di tangga gudang.",
    "accident_report_number": "LK-2025-0314",
}
# The workflow as the service's docstring and DOMAIN.md describe it.
WORKFLOW = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.VERIFYING, S.CANCELLED},
    S.VERIFYING: {S.NEEDS_INFO, S.APPROVED, S.REJECTED},
    S.NEEDS_INFO: {S.SUBMITTED},
    S.APPROVED: {S.PAID},
    S.PAID: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}


def page_text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def png(name: str = "scan.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 200, 200)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def stale_by(seconds: int):
    """A time machine `seconds` after now, ticking on."""
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds))


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def employer(db):
    return Employer.objects.create(npp="NPP00001", name="PT Contoh", province_code="31")


@pytest.fixture
def saver(member, employer):
    """Siti: employed, with a JHT balance from last year's paid contributions."""
    year = today().year - 1
    Employment.objects.create(member=member, employer=employer, start=date(2020, 1, 6))
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=date(year, month, 1),
            wage=5_000_000,
            jht_employer=185_000,
            jht_employee=100_000,
            paid_date=date(year, month, 10),
        )
        for month in range(1, 13)
    )
    return member


def draft(member, programme="JKK", reason=R.ACCIDENT, **fields) -> Claim:
    return Claim.objects.create(
        member=member,
        programme=programme,
        reason=reason,
        **{**decided(fields.get("status", S.DRAFT)), **fields},
    )


def fill_in(claim: Claim, *, holder: str | None = None, **details) -> Claim:
    """Bank account in the member's name and, for JKK, the accident details."""
    data = {**BANK, "bank_account_holder": holder or claim.member.full_name}
    if claim.programme == "JKK":
        data["details"] = {**ACCIDENT, **details}
    return services.claim_update(claim=claim, data=data)


def upload_all(claim: Claim, *, but=()) -> None:
    facts = member_facts(member=claim.member, today=today())
    for kind in required_documents(
        claim, facts.jht_balance, partial_paid=facts.partial_paid
    ):
        if kind not in but:
            services.claim_document_add(claim=claim, kind=kind, upload=png())


def complete(member, programme="JKK", reason=R.ACCIDENT) -> Claim:
    claim = fill_in(draft(member, programme, reason))
    upload_all(claim)
    return claim


def submit(client, claim):
    return client.post(reverse("claims:submit", args=[claim.pk]), follow=True)


def events(claim) -> list[tuple[str, str]]:
    return list(
        ClaimEvent.objects.filter(claim=claim).values_list("from_status", "to_status")
    )


# --- Starting a claim ---------------------------------------------------------------


_FORM = re.compile(r"<form method=\"post\">(.*?)</form>", re.DOTALL)
_OPTION = re.compile(r'name="programme" value="(\w+)">.*?name="reason" value="(\w+)"')


def options(response) -> dict[tuple[str, str], str]:
    """The text of each programme-and-reason choice on the new-claim page."""
    found = {}
    for block in _FORM.findall(response.content.decode()):
        option = _OPTION.search(block.replace("\n", " "))
        if option:
            found[option.groups()] = " ".join(html.unescape(block).split())
    return found


def test_new_claim_page_lists_every_option_with_why_not(client, login, saver):
    login(saver)

    response = client.get(reverse("claims:new"))

    assert response.status_code == 200
    shown = options(response)
    assert set(shown) == {
        (programme, reason)
        for programme, reasons in REASONS.items()
        for reason in reasons
    }
    can = {key for key, text in shown.items() if "You can claim." in text}
    assert can == {
        ("JHT", R.DISABILITY),
        ("JKK", R.ACCIDENT),
        ("JP", R.DISABILITY),
    }
    for key in can:
        assert "Not possible now" not in shown[key]
        assert 'type="submit"' in shown[key]
    year = today().year
    why_not = {
        ("JHT", R.RESIGNATION): "You still have an active employment.",
        ("JHT", R.DISMISSAL): "You still have an active employment.",
        ("JHT", R.CONTRACT_END): "You still have an active employment.",
        ("JHT", R.AGE): "You can claim all of your JHT from age 56.",
        ("JHT", R.PARTIAL_RETIREMENT): "at least 10 years of membership",
        ("JHT", R.PARTIAL_HOUSING): "at least 10 years of membership",
        ("JP", R.AGE): f"The pension age in {year} is",
        ("JKP", R.DISMISSAL): "for members whose employment has ended",
    }
    for key, reason in why_not.items():
        assert "Not possible now:" in shown[key], key
        assert reason in shown[key], key
        assert 'type="submit"' not in shown[key], key


def test_starting_an_eligible_claim_makes_a_draft_and_opens_it(client, login, member):
    login(member)

    response = client.post(
        reverse("claims:new"), {"programme": "JKK", "reason": R.ACCIDENT}
    )

    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:detail", args=[claim.pk])
    assert (claim.member, claim.programme, claim.reason, claim.status) == (
        member,
        "JKK",
        R.ACCIDENT,
        S.DRAFT,
    )
    page = client.get(response.url)
    assert page.status_code == 200
    assert claim.number in page_text(page)


def test_starting_an_ineligible_claim_makes_nothing_and_says_why(client, login, saver):
    login(saver)

    response = client.post(reverse("claims:new"), {"programme": "JHT", "reason": "age"})

    assert response.status_code == 200
    assert "You can claim all of your JHT from age 56." in page_text(response)
    assert not Claim.objects.exists()


def test_a_reason_of_another_programme_cannot_be_started(client, login, member):
    login(member)

    response = client.post(
        reverse("claims:new"), {"programme": "JKK", "reason": R.RESIGNATION}
    )

    assert response.status_code == 200
    assert "This reason does not apply to this programme." in page_text(response)
    assert not Claim.objects.exists()


def test_double_submit_of_the_start_form_resumes_the_same_draft(client, login, member):
    login(member)
    data = {"programme": "JKK", "reason": R.ACCIDENT}

    first = client.post(reverse("claims:new"), data)
    second = client.post(reverse("claims:new"), data)

    claim = Claim.objects.get()
    assert first.url == second.url == reverse("claims:detail", args=[claim.pk])


def test_double_submit_of_a_partial_claim_resumes_the_same_draft(
    client, login, member, employer
):
    """A partial JHT claim is once only; the member's own open draft is that once,
    so starting it again must resume it, not refuse it."""
    first_period = date(today().year - 11, 1, 1)
    Employment.objects.create(member=member, employer=employer, start=first_period)
    Contribution.objects.create(
        member=member,
        employer=employer,
        period=first_period,
        wage=5_000_000,
        jht_employer=185_000,
        paid_date=first_period + timedelta(days=9),
    )
    login(member)
    data = {"programme": "JHT", "reason": R.PARTIAL_HOUSING}

    first = client.post(reverse("claims:new"), data)
    second = client.post(reverse("claims:new"), data)

    claim = Claim.objects.get()
    assert first.status_code == 302
    assert second.status_code == 302, page_text(second)[:2000]
    assert first.url == second.url == reverse("claims:detail", args=[claim.pk])


def test_a_cancelled_draft_is_not_resumed(member):
    old = services.claim_start(
        member=member, programme="JKK", reason=R.ACCIDENT, today=today()
    )
    services.claim_cancel(claim=old, actor=member)

    new = services.claim_start(
        member=member, programme="JKK", reason=R.ACCIDENT, today=today()
    )

    assert new.pk != old.pk
    assert new.status == S.DRAFT


def test_claim_number_has_the_year_in_jakarta(member):
    """1 January 2027, 01:00 in Jakarta is still 2026 in UTC; the member's
    claim is from 2027, as the page's dates say."""
    new_year = datetime(2026, 12, 31, 18, 0, tzinfo=UTC)
    with time_machine.travel(new_year, tick=False):
        claim = services.claim_start(
            member=member, programme="JKK", reason=R.ACCIDENT, today=today()
        )

    assert timezone.localtime(claim.created_at).year == 2027
    assert claim.number == f"KLM-2027-{claim.pk:06d}"
    assert Claim.objects.get().number == claim.number


# --- Details and bank account ---------------------------------------------------------


def test_details_page_needs_a_recent_sign_in(client, login, member):
    claim = draft(member)
    login(member)
    url = reverse("claims:edit", args=[claim.pk])
    reauth = f"{reverse('accounts:reauth')}?{urlencode({'next': url})}"
    assert client.get(url).status_code == 200

    with stale_by(settings.RECENT_AUTH_SECONDS + 5):
        shown = client.get(url)
        posted = client.post(
            url, {**BANK, "bank_account_holder": member.full_name, **ACCIDENT}
        )

    assert (shown.status_code, shown.url) == (302, reauth)
    assert (posted.status_code, posted.url) == (302, reauth)
    claim.refresh_from_db()
    assert claim.bank_account_number == ""


def test_details_page_saves_the_bank_account(client, login, member):
    claim = draft(member)
    login(member)

    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        {**BANK, "bank_account_holder": member.full_name, **ACCIDENT},
    )

    assert response.status_code == 302
    assert response.url == reverse("claims:detail", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.bank_account_number == BANK["bank_account_number"]
    assert claim.bank_account_holder == "Siti Rahayu"
    assert claim.details == ACCIDENT


def test_jkk_details_page_requires_the_accident_details(client, login, member):
    claim = draft(member)
    login(member)

    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        {**BANK, "bank_account_holder": member.full_name},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(ACCIDENT)
    assert "This field is required." in page_text(response)
    claim.refresh_from_db()
    assert claim.bank_name == ""
    assert claim.details == {}


def test_jkk_claim_cannot_be_submitted_without_the_accident_details(
    client, login, member
):
    claim = services.claim_update(
        claim=draft(member), data={**BANK, "bank_account_holder": member.full_name}
    )
    upload_all(claim)
    login(member)

    text = page_text(submit(client, claim))

    for what in (
        "Tell us the accident date.",
        "Tell us the place of the accident.",
        "Tell us what happened.",
        "Tell us the employer's accident report number.",
    ):
        assert what in text
    claim.refresh_from_db()
    assert claim.status == S.DRAFT
    assert events(claim) == []


def test_account_holder_other_than_the_member_needs_a_reason(client, login, member):
    claim = fill_in(draft(member), holder="Budi Santoso")
    upload_all(claim)
    login(member)

    refused = page_text(submit(client, claim))

    assert (
        "The account holder's name differs from yours: "
        "say why, or use your own account." in refused
    )
    claim.refresh_from_db()
    assert claim.status == S.DRAFT

    client.post(
        reverse("claims:edit", args=[claim.pk]),
        {
            **BANK,
            "bank_account_holder": "Budi Santoso",
            "holder_differs_reason": "Rekening suami saya.",
            **ACCIDENT,
        },
    )
    submit(client, claim)

    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert claim.holder_differs_reason == "Rekening suami saya."


def test_account_holder_name_ignores_case_and_spacing(client, login, member):
    claim = fill_in(draft(member), holder="  siti   RAHAYU ")
    upload_all(claim)
    login(member)

    submit(client, claim)

    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_claim_without_a_bank_account_cannot_be_submitted(client, login, member):
    claim = draft(member)
    upload_all(claim)
    login(member)

    text = page_text(submit(client, claim))

    assert "Your bank account: bank, account number and holder's name." in text
    claim.refresh_from_db()
    assert claim.status == S.DRAFT


# --- Submitting -----------------------------------------------------------------------


def test_submit_is_refused_while_documents_are_missing(client, login, member):
    claim = fill_in(draft(member))
    upload_all(claim, but={K.DOCTOR_CERTIFICATE, K.CHRONOLOGY})
    login(member)

    text = page_text(submit(client, claim))

    assert "Upload: Doctor's certificate" in text
    assert "Upload: Account of how the accident happened" in text
    assert "Upload: ID card (KTP)" not in text
    claim.refresh_from_db()
    assert claim.status == S.DRAFT
    assert claim.submitted_at is None
    assert events(claim) == []
    assert not [m for m in mail.outbox if m.subject.startswith("Your claim")]


def test_detail_page_lists_what_is_missing(client, login, member):
    claim = fill_in(draft(member, "JHT", R.DISABILITY))
    login(member)

    text = page_text(client.get(reverse("claims:detail", args=[claim.pk])))

    for label in ("ID card (KTP)", "Family card (KK)", "Doctor's certificate"):
        assert f"Upload: {label}" in text
    assert "Upload: Termination letter" not in text


def test_complete_claim_is_submitted(client, login, member):
    claim = complete(member)
    login(member)

    text = page_text(submit(client, claim))

    assert "Your claim is submitted." in text
    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert claim.submitted_at is not None
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.from_status, event.to_status, event.actor) == (
        S.DRAFT,
        S.SUBMITTED,
        member,
    )


def test_submitting_twice_leaves_one_submission(client, login, member):
    claim = complete(member)
    login(member)

    submit(client, claim)
    submitted_at = Claim.objects.get().submitted_at
    second = submit(client, claim)

    assert second.status_code == 200
    assert events(claim) == [(S.DRAFT, S.SUBMITTED)]
    assert Claim.objects.get().submitted_at == submitted_at


def test_jht_claim_with_all_documents_is_submitted(client, login, saver):
    claim = complete(saver, "JHT", R.DISABILITY)
    login(saver)

    submit(client, claim)

    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


@pytest.fixture
def veteran(member, employer):
    """Siti: employed and contributing for more than ten years."""
    first_period = date(today().year - 11, 1, 1)
    Employment.objects.create(member=member, employer=employer, start=first_period)
    Contribution.objects.create(
        member=member,
        employer=employer,
        period=first_period,
        wage=5_000_000,
        jht_employer=185_000,
        paid_date=first_period + timedelta(days=9),
    )
    return member


def test_only_one_of_two_partial_drafts_can_be_submitted(client, login, veteran):
    retirement = services.claim_start(
        member=veteran, programme="JHT", reason=R.PARTIAL_RETIREMENT, today=today()
    )
    housing = services.claim_start(
        member=veteran, programme="JHT", reason=R.PARTIAL_HOUSING, today=today()
    )
    for claim in (retirement, housing):
        fill_in(claim)
        upload_all(claim)
    login(veteran)

    submit(client, retirement)
    text = page_text(submit(client, housing))

    assert "A partial claim can be made only once." in text
    assert dict(Claim.objects.values_list("reason", "status")) == {
        R.PARTIAL_RETIREMENT: S.SUBMITTED,
        R.PARTIAL_HOUSING: S.DRAFT,
    }


def test_a_partial_claim_asked_for_more_information_can_be_resubmitted(
    client, login, veteran, staff
):
    claim = complete(veteran, "JHT", R.PARTIAL_HOUSING)
    services.claim_submit(claim=claim, actor=veteran, today=today())
    services.claim_transition(claim_id=claim.pk, to=S.VERIFYING, actor=staff)
    services.claim_transition(
        claim_id=claim.pk, to=S.NEEDS_INFO, actor=staff, note="Akta jual beli?"
    )
    login(veteran)

    submit(client, claim)

    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED


def test_submit_checks_eligibility_again(client, login, saver, employer):
    """A JHT resignation started while eligible, then the member is employed
    again before submitting: the claim can no longer be submitted."""
    Employment.objects.filter(member=saver).update(end=today() - timedelta(days=60))
    claim = services.claim_start(
        member=saver, programme="JHT", reason=R.RESIGNATION, today=today()
    )
    fill_in(claim)
    upload_all(claim)
    Employment.objects.create(
        member=saver, employer=employer, start=today() - timedelta(days=3)
    )
    login(saver)

    text = page_text(submit(client, claim))

    assert "You still have an active employment." in text
    claim.refresh_from_db()
    assert claim.status == S.DRAFT
    assert events(claim) == []


# --- Transitions ----------------------------------------------------------------------


def test_the_allowed_transitions_are_the_workflow():
    assert {k: v for k, v in services.ALLOWED.items() if v} == {
        k: v for k, v in WORKFLOW.items() if v
    }


@pytest.mark.parametrize(("start", "to"), list(product(S, S)))
def test_each_transition_is_allowed_or_refused_by_the_workflow(
    member, staff, start, to
):
    claim = draft(member, status=start)

    if to in WORKFLOW[start]:
        amount = {"approved_amount": 1_000_000} if to == S.APPROVED else {}
        moved = services.claim_transition(
            claim_id=claim.pk, to=to, actor=staff, **amount
        )
        assert moved.status == to
        assert Claim.objects.get().status == to
        assert events(claim) == [(start, to)]
        assert ClaimEvent.objects.get().actor == staff
    else:
        with pytest.raises(services.IllegalTransition):
            services.claim_transition(claim_id=claim.pk, to=to, actor=staff)
        assert Claim.objects.get().status == start
        assert events(claim) == []


def test_an_illegal_transition_says_why(member, staff):
    claim = draft(member)

    with pytest.raises(services.IllegalTransition) as refused:
        services.claim_transition(claim_id=claim.pk, to=S.APPROVED, actor=staff)

    assert refused.value.messages == ["A claim that is draft cannot become approved."]


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.SUBMITTED, S.VERIFYING),
        (S.VERIFYING, S.APPROVED),
        (S.VERIFYING, S.REJECTED),
        (S.VERIFYING, S.NEEDS_INFO),
        (S.APPROVED, S.PAID),
    ],
)
def test_staff_moves_need_the_decide_permission(member, start, to):
    claim = draft(member, status=start)

    with pytest.raises(PermissionDenied):
        services.claim_transition(claim_id=claim.pk, to=to, actor=member)

    assert Claim.objects.get().status == start
    assert events(claim) == []


def test_member_support_staff_cannot_decide(member):
    support = MemberFactory(is_staff=True)
    support.groups.add(Group.objects.get(name="Member support"))
    claim = draft(member, status=S.VERIFYING)

    with pytest.raises(PermissionDenied):
        services.claim_transition(
            claim_id=claim.pk, to=S.APPROVED, actor=support, approved_amount=1
        )

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.VERIFYING, None)


def test_claims_officer_can_decide(member):
    officer = MemberFactory(is_staff=True)
    officer.groups.add(Group.objects.get(name="Claims officer"))
    claim = draft(member, status=S.VERIFYING)

    services.claim_transition(
        claim_id=claim.pk, to=S.APPROVED, actor=officer, approved_amount=4_250_000
    )

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.APPROVED, 4_250_000)


def test_an_approval_without_an_amount_is_refused(member, staff):
    claim = draft(member, status=S.VERIFYING)

    with pytest.raises(services.ValidationError) as refused:
        services.claim_transition(claim_id=claim.pk, to=S.APPROVED, actor=staff)

    assert refused.value.messages == ["An approval needs the approved amount."]
    claim.refresh_from_db()
    assert claim.status == S.VERIFYING
    assert events(claim) == []


def test_a_negative_amount_is_refused_and_nothing_changes(member, staff):
    claim = draft(member, status=S.VERIFYING)

    with pytest.raises(services.ValidationError):
        services.claim_transition(
            claim_id=claim.pk, to=S.APPROVED, actor=staff, approved_amount=-1
        )

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.VERIFYING, None)
    assert events(claim) == []


@pytest.mark.parametrize("start", [S.DRAFT, S.SUBMITTED])
def test_member_cancels_a_draft_or_submitted_claim(client, login, member, start):
    claim = draft(member, status=start)
    login(member)

    response = client.post(reverse("claims:cancel", args=[claim.pk]), follow=True)

    assert "Your claim is cancelled." in page_text(response)
    claim.refresh_from_db()
    assert claim.status == S.CANCELLED
    assert events(claim) == [(start, S.CANCELLED)]


@pytest.mark.parametrize(
    ("start", "label"),
    [
        (S.VERIFYING, "being verified"),
        (S.NEEDS_INFO, "more information needed"),
        (S.APPROVED, "approved"),
        (S.PAID, "paid"),
    ],
)
def test_member_cannot_cancel_once_verification_started(
    client, login, member, start, label
):
    claim = draft(member, status=start)
    login(member)

    response = client.post(reverse("claims:cancel", args=[claim.pk]), follow=True)

    assert f"A claim that is {label} cannot become cancelled." in page_text(response)
    claim.refresh_from_db()
    assert claim.status == start
    assert events(claim) == []


def test_needs_info_then_upload_and_resubmit(client, login, member, staff):
    claim = complete(member)
    services.claim_submit(claim=claim, actor=member, today=today())
    services.claim_transition(claim_id=claim.pk, to=S.VERIFYING, actor=staff)
    services.claim_transition(
        claim_id=claim.pk,
        to=S.NEEDS_INFO,
        actor=staff,
        note="Please upload the receipts from the clinic.",
    )
    login(member)

    page = page_text(client.get(reverse("claims:detail", args=[claim.pk])))
    assert "We need more information from you" in page
    assert "Please upload the receipts from the clinic." in page
    uploaded = client.post(
        reverse("claims:upload", args=[claim.pk]),
        {"kind": K.RECEIPTS, "file": png("kwitansi.png")},
    )
    assert uploaded.status_code == 302
    submit(client, claim)

    claim.refresh_from_db()
    assert claim.status == S.SUBMITTED
    assert claim.documents.filter(kind=K.RECEIPTS).count() == 1
    assert events(claim) == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.VERIFYING),
        (S.VERIFYING, S.NEEDS_INFO),
        (S.NEEDS_INFO, S.SUBMITTED),
    ]


@pytest.mark.parametrize("start", [S.SUBMITTED, S.VERIFYING, S.APPROVED])
def test_documents_cannot_be_added_once_submitted(client, login, member, start):
    claim = draft(member, status=start)
    login(member)

    response = client.post(
        reverse("claims:upload", args=[claim.pk]),
        {"kind": K.RECEIPTS, "file": png()},
    )

    assert response.status_code == 400
    assert not ClaimDocument.objects.exists()


def test_a_refused_late_upload_tells_the_member_why(client, login, member):
    """From a page left open before submitting: the upload is refused, and the
    page says why instead of dropping the file silently."""
    claim = draft(member, status=S.SUBMITTED)
    login(member)

    response = client.post(
        reverse("claims:upload", args=[claim.pk]),
        {"kind": K.RECEIPTS, "file": png()},
    )

    assert response.status_code == 400
    assert "This claim can no longer be changed." in page_text(response)


def test_details_cannot_be_changed_once_submitted(client, login, member):
    claim = draft(
        member, status=S.SUBMITTED, bank_account_holder=member.full_name, **BANK
    )
    login(member)

    response = client.post(
        reverse("claims:edit", args=[claim.pk]),
        {**BANK, "bank_account_number": "99999999", "bank_account_holder": "X"},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.bank_account_number == BANK["bank_account_number"]


# --- Emails and timeline --------------------------------------------------------------


def claim_mails(claim) -> list[str]:
    return [m.subject for m in mail.outbox if claim.number in m.subject]


def test_member_is_emailed_at_each_change_and_sees_it_on_the_timeline(
    client, login, member, staff, django_capture_on_commit_callbacks
):
    claim = complete(member)
    note = "Mohon unggah kwitansi dari klinik."
    steps = [
        (S.VERIFYING, "", {}),
        (S.NEEDS_INFO, note, {}),
        (S.SUBMITTED, "", {}),
        (S.VERIFYING, "", {}),
        (S.APPROVED, "Disetujui penuh.", {"approved_amount": 4_250_000}),
        (S.PAID, "", {"payment_reference": "TRF-2025-0042"}),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_submit(claim=claim, actor=member, today=today())
        for to, text, extra in steps:
            actor = member if to == S.SUBMITTED else staff
            services.claim_transition(
                claim_id=claim.pk, to=to, actor=actor, note=text, **extra
            )

    labels = [
        "Submitted",
        "Being verified",
        "More information needed",
        "Submitted",
        "Being verified",
        "Approved",
        "Paid",
    ]
    assert claim_mails(claim) == [
        f"Your claim {claim.number}: {label}" for label in labels
    ]
    sent = [m for m in mail.outbox if claim.number in m.subject]
    assert all(m.to == [member.email] for m in sent)
    assert note in sent[2].body

    login(member)
    response = client.get(reverse("claims:detail", args=[claim.pk]))
    timeline = re.search(
        r'<ol class="timeline">(.*?)</ol>', response.content.decode(), re.DOTALL
    ).group(1)
    assert re.findall(r"<strong>(.*?)</strong>", timeline) == labels
    text = page_text(response)
    assert note in text
    assert "Disetujui penuh." in text
    assert "Rp" in text and "TRF-2025-0042" in text


def test_member_is_emailed_when_they_cancel(member, django_capture_on_commit_callbacks):
    claim = draft(member)

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_cancel(claim=claim, actor=member)

    assert claim_mails(claim) == [f"Your claim {claim.number}: Cancelled"]


def test_no_email_when_a_transition_is_refused(
    member, staff, django_capture_on_commit_callbacks
):
    claim = draft(member)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.IllegalTransition),
    ):
        services.claim_transition(claim_id=claim.pk, to=S.PAID, actor=staff)

    assert claim_mails(claim) == []


# --- Another member's claim -----------------------------------------------------------


@pytest.fixture
def others_claim(other_member):
    claim = fill_in(draft(other_member))
    upload_all(claim)
    return claim


def test_another_members_claim_is_not_found_and_unchanged(
    client, login, member, others_claim
):
    claim = others_claim
    document = claim.documents.first()
    login(member)
    before = (claim.status, claim.documents.count(), claim.bank_account_number)

    responses = {
        "detail": client.get(reverse("claims:detail", args=[claim.pk])),
        "edit": client.get(reverse("claims:edit", args=[claim.pk])),
        "edit post": client.post(
            reverse("claims:edit", args=[claim.pk]),
            {**BANK, "bank_account_number": "11111111", "bank_account_holder": "X"},
        ),
        "upload": client.post(
            reverse("claims:upload", args=[claim.pk]),
            {"kind": K.OTHER, "file": png()},
        ),
        "submit": client.post(reverse("claims:submit", args=[claim.pk])),
        "cancel": client.post(reverse("claims:cancel", args=[claim.pk])),
        "document": client.get(
            reverse("claims:document", args=[claim.pk, document.pk])
        ),
    }

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(
        responses, 404
    )
    claim.refresh_from_db()
    assert (claim.status, claim.documents.count(), claim.bank_account_number) == before
    assert events(claim) == []


def test_another_members_document_through_my_claim_is_not_found(
    client, login, member, others_claim
):
    mine = draft(member)
    document = others_claim.documents.first()
    login(member)

    response = client.get(reverse("claims:document", args=[mine.pk, document.pk]))

    assert response.status_code == 404


def test_my_claims_list_shows_only_mine(client, login, member, others_claim):
    mine = draft(member)
    login(member)

    text = page_text(client.get(reverse("claims:list")))

    assert mine.number in text
    assert others_claim.number not in text
