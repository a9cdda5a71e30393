"""Demo claims in several states, so the demo shows the whole journey.

Made through the same services staff and members use, so each claim carries
its real history of events.
"""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Member
from claims import services
from claims.eligibility import member_facts, required_documents
from claims.models import Claim
from claims.withdrawals import partial_limit

S = Claim.Status


def _scan(name: str) -> SimpleUploadedFile:
    """A small grey 'scan' standing in for a photographed document."""
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 200, 200)).save(out, format="PNG")
    return SimpleUploadedFile(f"{name}.png", out.getvalue(), content_type="image/png")


def _ready(claim: Claim, member: Member, today: date) -> Claim:
    claim = services.claim_update(
        claim=claim,
        data={
            "bank_name": "Bank Rakyat Indonesia",
            "bank_account_number": "002301000123567",
            "bank_account_holder": member.full_name,
            "details": {
                "npwp": "012345678901234",
                "accident_date": "2026-09-14",
                "accident_place": "Gudang PT Nusantara Digital, Jakarta",
                "accident_description": "Tergelincir di tangga gudang, "
                "pergelangan tangan retak.",
                "accident_report_number": "LK-2026-0914",
            },
        },
    )
    facts = member_facts(member=member, today=today)
    for kind in required_documents(
        claim, facts.jht_balance, partial_paid=facts.partial_paid
    ):
        services.claim_document_add(claim=claim, kind=kind, upload=_scan(kind))
    return claim


def _lawful_amount(claim: Claim) -> int:
    """What staff would approve: the whole share the law allows for a partial
    JHT claim (to the thousand rupiah below), a round figure for any other."""
    limit = partial_limit(claim)
    if limit is None:
        return 4_250_000
    return limit.maximum // 1000 * 1000


def seed_claims(*, staff: Member, today: date) -> int:
    """(Re)create the demo claims of Siti and Budi; returns how many.

    Budi's 10 % partial JHT claim is paid today: his balance shows it as a
    withdrawal."""
    siti = Member.objects.get(kpj_number="12345678901")
    budi = Member.objects.get(kpj_number="12345678902")
    for member in (siti, budi):
        for claim in Claim.objects.filter(member=member):
            for document in claim.documents.all():
                document.file.delete(save=False)
        Claim.objects.filter(member=member).delete()
    steps = [
        # member, programme, reason, the statuses it goes through, the staff notes
        (
            budi,
            "JHT",
            Claim.Reason.PARTIAL_RETIREMENT,
            [S.VERIFYING, S.APPROVED, S.PAID],
        ),
        (siti, "JKK", Claim.Reason.ACCIDENT, [S.VERIFYING, S.NEEDS_INFO]),
    ]
    for member, programme, reason, path in steps:
        claim = services.claim_start(
            member=member, programme=programme, reason=reason, today=today
        )
        claim = _ready(claim, member, today)
        services.claim_submit(claim=claim, actor=member, today=today)
        for status in path:
            extra = {}
            if status == S.APPROVED:
                extra["approved_amount"] = _lawful_amount(claim)
            if status == S.PAID:
                extra["payment_reference"] = f"TRF-{today:%Y}-0042"
                extra["paid_on"] = today
            note = (
                "Mohon unggah surat keterangan dokter yang ditandatangani."
                if status == S.NEEDS_INFO
                else ""
            )
            services.claim_transition(
                claim_id=claim.pk, to=status, actor=staff, note=note, **extra
            )
    # And one draft the member can resume.
    services.claim_start(
        member=siti, programme="JHT", reason=Claim.Reason.PARTIAL_HOUSING, today=today
    )
    return Claim.objects.filter(member__in=[siti, budi]).count()
