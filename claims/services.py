"""The claim workflow. Every status change goes through claim_transition.

draft → submitted → verifying → approved → paid, or verifying → needs_info →
submitted, or verifying → rejected; the member may cancel a draft or a
submitted claim before verification starts.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Member
from accounts.notify import member_notify
from audit.services import audit_record
from claims.eligibility import (
    ineligibility,
    member_facts,
    needs_npwp,
    required_documents,
)
from claims.models import Claim, ClaimDocument, ClaimEvent
from claims.uploads import check_upload
from claims.withdrawals import partial_limit, partial_limit_problem
from contributions.balance import WITHDRAWAL_REASONS
from ibsu.lib.masking import mask_account
from ibsu.lib.money import format_rupiah
from ibsu.lib.page_cache import invalidate

S = Claim.Status
ALLOWED = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.VERIFYING, S.CANCELLED},
    S.VERIFYING: {S.NEEDS_INFO, S.APPROVED, S.REJECTED},
    S.NEEDS_INFO: {S.SUBMITTED},
    S.APPROVED: {S.PAID},
}
# Staff moves need the decide_claim permission; the member's own moves do not.
STAFF_MOVES = {S.VERIFYING, S.NEEDS_INFO, S.APPROVED, S.REJECTED, S.PAID}


class IllegalTransition(ValidationError):
    pass


@transaction.atomic
def claim_transition(
    *, claim_id: int, to: str, actor, note: str = "", **fields
) -> Claim:
    """Move a claim to `to`, locking its row so two people cannot both move it.

    The second of two staff acting at once sees the status the first one left
    and is refused, instead of both succeeding.
    """
    claim = Claim.objects.select_for_update().select_related("member").get(pk=claim_id)
    if to not in ALLOWED.get(claim.status, set()):
        raise IllegalTransition(
            _("A claim that is %(status)s cannot become %(to)s.")
            % {"status": claim.get_status_display().lower(), "to": S(to).label.lower()}
        )
    if to in STAFF_MOVES and not actor.has_perm("claims.decide_claim"):
        raise PermissionDenied
    previous = claim.status
    claim.status = to
    for name, value in fields.items():
        setattr(claim, name, value)
    data = {"claim": claim.number, "from": previous}
    if to == S.APPROVED:
        data.update(_check_approval(claim))
    if to == S.PAID:
        _check_payment(claim)
    claim.full_clean()
    claim.save()
    if to == S.PAID and is_withdrawal(claim):
        # The JHT balance shown from now on is smaller: cached figures are stale.
        invalidate("figures", [claim.member_id])
    ClaimEvent.objects.create(
        claim=claim, from_status=previous, to_status=to, actor=actor, note=note
    )
    invalidate("claim", [claim.pk])
    audit_record(action=f"claim.{to}", member=claim.member, actor=actor, data=data)
    member_notify(
        member=claim.member,
        template="claim_status",
        context={"claim": claim, "note": note},
    )
    return claim


def _check_approval(claim: Claim) -> dict:
    """An approval states its amount; a partial JHT claim's stays within its share
    of the balance at the claim. Returns what the audit entry records."""
    if claim.approved_amount is None:
        raise ValidationError(
            {"approved_amount": _("An approval needs the approved amount.")}
        )
    problem = partial_limit_problem(claim, claim.approved_amount)
    if problem:
        raise ValidationError({"approved_amount": problem})
    limit = partial_limit(claim)
    if limit is None:
        return {"amount": claim.approved_amount}
    return {
        "amount": claim.approved_amount,
        "balance_at_claim": limit.balance,
        "maximum": limit.maximum,
    }


def _check_payment(claim: Claim) -> None:
    """A payment is dated: today unless staff say otherwise, never in the future
    nor before the claim was made."""
    today = timezone.localdate()
    claim.paid_on = claim.paid_on or today
    if claim.paid_on > today:
        raise ValidationError(
            {"paid_on": _("The payment date cannot be in the future.")}
        )
    if claim.submitted_at and claim.paid_on < timezone.localdate(claim.submitted_at):
        raise ValidationError(
            {"paid_on": _("The payment date cannot be before the claim was made.")}
        )


def is_withdrawal(claim: Claim) -> bool:
    """A paid partial JHT claim leaves the balance (contributions.balance)."""
    return claim.programme == "JHT" and claim.reason in WITHDRAWAL_REASONS


@transaction.atomic
def claim_start(
    *, member, programme: str, reason: str, today, details: dict | None = None
) -> Claim:
    """A draft claim, if the member is eligible; an existing draft for the same
    programme and reason is resumed, so a double click makes one claim.

    A JKP claim starts from the dismissal date, which its rules depend on."""
    details = details or {}
    if programme == "JKP" and not details.get("dismissal_date"):
        raise ValidationError(_("Tell us the date of your dismissal."))
    problems = ineligibility(
        programme, reason, member_facts(member=member, today=today), details
    )
    if problems:
        raise ValidationError(problems)
    claim, _created = Claim.objects.get_or_create(
        member=member, programme=programme, reason=reason, status=S.DRAFT
    )
    if details:
        claim.details = {**claim.details, **details}
        claim.save(update_fields=["details", "updated_at"])
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, data: dict) -> Claim:
    """Save the member's details and bank account on an editable claim."""
    if not claim.is_editable:
        raise IllegalTransition(_("This claim can no longer be changed."))
    old_bank = (claim.bank_name, claim.bank_account_number, claim.bank_account_holder)
    for name in (
        "bank_name",
        "bank_account_number",
        "bank_account_holder",
        "holder_differs_reason",
    ):
        if name in data:
            setattr(claim, name, data[name])
    claim.details = {**claim.details, **data.get("details", {})}
    claim.full_clean()
    claim.save()
    if (
        claim.bank_name,
        claim.bank_account_number,
        claim.bank_account_holder,
    ) != old_bank:
        audit_record(
            action="claim.bank_account_changed",
            member=claim.member,
            actor=claim.member,
            data={
                "claim": claim.number,
                "old": mask_account(old_bank[1]),
                "new": mask_account(claim.bank_account_number),
            },
        )
    return claim


@transaction.atomic
def claim_document_add(*, claim: Claim, kind: str, upload) -> ClaimDocument:
    if not claim.is_editable:
        raise IllegalTransition(_("This claim can no longer be changed."))
    checked = check_upload(upload)
    document = ClaimDocument(
        claim=claim,
        kind=kind,
        original_name=(upload.name or "")[:200],
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
    )
    document.file.save("upload", ContentFile(checked.content), save=False)
    document.save()
    invalidate("claim", [claim.pk])
    return document


@transaction.atomic
def claim_document_remove(*, document: ClaimDocument, actor) -> None:
    """Take a document off an editable claim (a wrong file, a blurred photo)."""
    claim = document.claim
    if not claim.is_editable:
        raise IllegalTransition(_("This claim can no longer be changed."))
    name = document.file.name
    document.delete()
    invalidate("claim", [claim.pk])
    audit_record(
        action="claim.document_removed",
        member=claim.member,
        actor=actor,
        data={"claim": claim.number, "kind": document.kind},
    )
    # The file goes once the row is surely gone.
    transaction.on_commit(lambda: document.file.storage.delete(name))


def claim_missing(
    *, claim: Claim, jht_balance: int, partial_paid: bool, uploaded_kinds: set[str]
) -> list[str]:
    """What the member must still provide before the claim can be submitted."""
    missing = [
        _("Upload: %(document)s") % {"document": ClaimDocument.Kind(kind).label}
        for kind in required_documents(claim, jht_balance, partial_paid=partial_paid)
        if kind not in uploaded_kinds
    ]
    if not (
        claim.bank_name and claim.bank_account_number and claim.bank_account_holder
    ):
        missing.append(_("Your bank account: bank, account number and holder's name."))
    elif (
        not _same_name(claim.bank_account_holder, claim.member.full_name)
        and not claim.holder_differs_reason
    ):
        missing.append(
            _(
                "The account holder's name differs from yours: "
                "say why, or use your own account."
            )
        )
    if needs_npwp(
        claim, jht_balance, partial_paid=partial_paid
    ) and not claim.details.get("npwp"):
        missing.append(
            _("Your tax number (NPWP): your JHT balance is over %(threshold)s.")
            % {"threshold": format_rupiah(settings.CLAIM_NPWP_THRESHOLD)}
            if jht_balance > settings.CLAIM_NPWP_THRESHOLD
            else _("Your tax number (NPWP): it is needed after a partial JHT payment.")
        )
    if claim.programme == "JKP":
        missing.extend(_jkp_missing(claim.details))
    if claim.programme == "JKK":
        for key, label in (
            ("accident_date", _("the accident date")),
            ("accident_place", _("the place of the accident")),
            ("accident_description", _("what happened")),
            ("accident_report_number", _("the employer's accident report number")),
        ):
            if not claim.details.get(key):
                missing.append(_("Tell us %(what)s.") % {"what": label})
    return missing


def _jkp_missing(details: dict) -> list[str]:
    """What a JKP claim needs that our record cannot show (PP 37/2021 art. 4)."""
    missing = []
    if not details.get("dismissal_date"):
        missing.append(_("Tell us the date of your dismissal."))
    if not details.get("citizen"):
        missing.append(_("Confirm that you are an Indonesian citizen."))
    if not details.get("jkn_enrolled"):
        missing.append(
            _("Confirm that you are enrolled in the national health insurance (JKN).")
        )
    return missing


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.upper().split()) == " ".join(b.upper().split())


@transaction.atomic
def claim_submit(*, claim: Claim, actor, today) -> Claim:
    """Submit a complete claim. Submitting twice leaves one submission.

    The member's row is locked while eligibility is checked and the status
    changes, so two partial claims sent from two tabs cannot both pass.
    """
    Member.objects.select_for_update().get(pk=claim.member_id)
    claim.refresh_from_db()
    if claim.status == S.SUBMITTED:
        return claim
    # Eligibility again: time has passed, or another claim was submitted meanwhile.
    facts = member_facts(member=claim.member, today=today, excluding=claim.pk)
    problems = ineligibility(claim.programme, claim.reason, facts, claim.details)
    if problems:
        raise ValidationError(problems)
    missing = claim_missing(
        claim=claim,
        jht_balance=facts.jht_balance,
        partial_paid=facts.partial_paid,
        uploaded_kinds=set(claim.documents.values_list("kind", flat=True)),
    )
    if missing:
        raise ValidationError(missing)
    return claim_transition(
        claim_id=claim.pk, to=S.SUBMITTED, actor=actor, submitted_at=timezone.now()
    )


def claim_cancel(*, claim: Claim, actor) -> Claim:
    return claim_transition(claim_id=claim.pk, to=S.CANCELLED, actor=actor)
