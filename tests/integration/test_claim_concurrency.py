"""Two people acting on one claim at the same moment, on PostgreSQL.

claim_transition locks the claim's row (SELECT … FOR UPDATE): the second of two
officers approving at once waits for the first, then sees an approved claim and
is refused. Each thread has its own database connection and closes it.
"""

import threading
import time
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from accounts.models import Member
from audit.models import AuditEntry
from claims import services
from claims.eligibility import member_facts, required_documents
from claims.models import Claim, ClaimEvent
from contributions.models import Contribution, Employer, Employment
from tests.factories import MemberFactory
from tests.integration.conftest import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

S = Claim.Status
R = Claim.Reason
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
# How long the first transaction keeps the row locked after its check: long
# enough that, without the lock, the second would read the old status too.
HOLD_SECONDS = 0.3


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        unavailable("row locks are tested on PostgreSQL only (set DATABASE_URL)")


def run_at_once(*jobs) -> list:
    """Run each job in its own thread, released together; their results or
    exceptions, in order. Every thread closes its own database connection."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # the test looks at what each one raised
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, job))
        for index, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs"
    return results


@pytest.fixture
def slow_audit(monkeypatch):
    """The first transaction keeps the claim locked a moment after its check."""
    real_audit_record = services.audit_record

    def slow_audit_record(**kwargs):
        time.sleep(HOLD_SECONDS)
        return real_audit_record(**kwargs)

    monkeypatch.setattr(services, "audit_record", slow_audit_record)


def test_two_officers_approving_at_once_approve_once(member, slow_audit):
    first = MemberFactory(full_name="Petugas Satu", is_staff=True, is_superuser=True)
    second = MemberFactory(full_name="Petugas Dua", is_staff=True, is_superuser=True)
    claim = Claim.objects.create(
        member=member, programme="JKK", reason=R.ACCIDENT, status=S.VERIFYING
    )

    def approve(officer_pk: int, amount: int):
        def job():
            officer = Member.objects.get(pk=officer_pk)
            return services.claim_transition(
                claim_id=claim.pk,
                to=S.APPROVED,
                actor=officer,
                note=f"Disetujui Rp {amount:,}.",
                approved_amount=amount,
            )

        return job

    results = run_at_once(approve(first.pk, 4_000_000), approve(second.pk, 5_000_000))

    approved = [result for result in results if isinstance(result, Claim)]
    refused = [
        result for result in results if isinstance(result, services.IllegalTransition)
    ]
    assert (len(approved), len(refused)) == (1, 1), results
    assert refused[0].messages == ["A claim that is approved cannot become approved."]
    winner = results.index(approved[0])
    claim.refresh_from_db()
    assert claim.status == S.APPROVED
    assert claim.approved_amount == [4_000_000, 5_000_000][winner]
    event = ClaimEvent.objects.get(claim=claim, to_status=S.APPROVED)
    assert event.actor_id == [first.pk, second.pk][winner]
    assert event.from_status == S.VERIFYING
    assert AuditEntry.objects.filter(action="claim.approved").count() == 1
    assert [m.subject for m in mail.outbox if claim.number in m.subject] == [
        f"Your claim {claim.number}: Approved"
    ]


def test_officers_acting_at_once_in_different_ways_make_one_decision(
    member, slow_audit
):
    officers = [
        MemberFactory(is_staff=True, is_superuser=True).pk for _officer in range(3)
    ]
    claim = Claim.objects.create(
        member=member, programme="JKK", reason=R.ACCIDENT, status=S.VERIFYING
    )

    def decide(officer_pk: int, to: str, **fields):
        def job():
            return services.claim_transition(
                claim_id=claim.pk,
                to=to,
                actor=Member.objects.get(pk=officer_pk),
                note="Keputusan.",
                **fields,
            )

        return job

    results = run_at_once(
        decide(officers[0], S.APPROVED, approved_amount=1_000_000),
        decide(officers[1], S.REJECTED),
        decide(officers[2], S.NEEDS_INFO),
    )

    assert sum(isinstance(result, Claim) for result in results) == 1, results
    refused = [r for r in results if isinstance(r, services.IllegalTransition)]
    assert len(refused) == 2, results
    claim.refresh_from_db()
    assert list(ClaimEvent.objects.filter(claim=claim).values_list("to_status")) == [
        (claim.status,)
    ]


def test_two_partial_claims_submitted_at_once_make_one_partial_claim(
    member, monkeypatch
):
    """A partial JHT claim is once only. Two drafts (10 % and 30 %) submitted at
    the same moment, say from two browser tabs, must not both go through."""
    employer = Employer.objects.create(
        npp="NPP00001", name="PT Contoh", province_code="31"
    )
    Employment.objects.create(member=member, employer=employer, start=date(2010, 1, 4))
    Contribution.objects.create(
        member=member,
        employer=employer,
        period=date(2010, 1, 1),
        wage=5_000_000,
        jht_employer=185_000,
        paid_date=date(2010, 1, 11),
    )
    today = timezone.localdate()
    drafts = [
        services.claim_start(member=member, programme="JHT", reason=reason, today=today)
        for reason in (R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING)
    ]
    for claim in drafts:
        services.claim_update(
            claim=claim,
            data={
                "bank_name": "Bank Rakyat Indonesia",
                "bank_account_number": "002301000123567",
                "bank_account_holder": member.full_name,
            },
        )
        facts = member_facts(member=member, today=today)
        for kind in required_documents(
            claim, facts.jht_balance, partial_paid=facts.partial_paid
        ):
            services.claim_document_add(
                claim=claim,
                kind=kind,
                upload=SimpleUploadedFile(f"{kind}.pdf", PDF, "application/pdf"),
            )

    # Both submissions have passed the eligibility check before either goes on,
    # as they can when two requests arrive together. A submission that waits for
    # the other instead (a lock) goes on after at most a second.
    arrived = threading.Condition()
    count = [0]
    real_claim_missing = services.claim_missing

    def claim_missing_after_meeting(**kwargs):
        with arrived:
            count[0] += 1
            arrived.notify_all()
            arrived.wait_for(lambda: count[0] >= 2, timeout=1)
        return real_claim_missing(**kwargs)

    monkeypatch.setattr(services, "claim_missing", claim_missing_after_meeting)

    def submit(claim_pk: int):
        def job():
            return services.claim_submit(
                claim=Claim.objects.get(pk=claim_pk),
                actor=Member.objects.get(pk=member.pk),
                today=today,
            )

        return job

    results = run_at_once(*(submit(claim.pk) for claim in drafts))

    statuses = sorted(Claim.objects.values_list("status", flat=True))
    assert statuses == [S.DRAFT, S.SUBMITTED], results
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 1
    assert "A partial claim can be made only once." in refused[0].messages
