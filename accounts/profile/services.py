"""Changes a member makes to their own record: contact details, email, heirs.

Each change is audited with old and new values (personal ones masked), and
the member is told by email where it matters.
"""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Heir, Member
from accounts.notify import member_notify
from audit.services import audit_record
from ibsu.lib.masking import mask_email, mask_nik, mask_phone
from outbox.services import email_queue

PROFILE_FIELDS = (
    "phone",
    "marital_status",
    "address_street",
    "address_district",
    "address_city",
    "address_province",
    "address_postcode",
    "preferred_language",
)
_MASKS = {"phone": mask_phone, "address_street": lambda v: v[:3] + "***" if v else ""}
_EMAIL_SALT = "accounts.email-change"


def _masked(field: str, value) -> str:
    value = "" if value is None else str(value)
    return _MASKS.get(field, lambda v: v)(value)


@transaction.atomic
def profile_update(*, member: Member, data: dict, ip: str) -> list[str]:
    """Save the contact details that changed; returns the names of those fields."""
    changed = [f for f in PROFILE_FIELDS if f in data and getattr(member, f) != data[f]]
    for field in changed:
        audit_record(
            action="profile.changed",
            member=member,
            actor=member,
            data={
                "field": field,
                "old": _masked(field, getattr(member, field)),
                "new": _masked(field, data[field]),
            },
            ip=ip,
        )
        setattr(member, field, data[field])
    if changed:
        member.full_clean(exclude=["password"])
        member.save(update_fields=changed)
    return changed


def email_in_use(*, email: str, member: Member) -> bool:
    return Member.objects.filter(email__iexact=email).exclude(pk=member.pk).exists()


@transaction.atomic
def email_change_request(*, member: Member, new_email: str, ip: str) -> None:
    """Send a confirmation link to the new address; the old one stays until then.

    The link names the current address, so it stops working once the email
    changes: it works once, and for PASSWORD_RESET_TIMEOUT seconds.
    """
    if email_in_use(email=new_email, member=member):
        raise ValidationError(_("This email address cannot be used. Choose another."))
    token = signing.dumps(
        {"m": member.pk, "new": new_email, "old": member.email}, salt=_EMAIL_SALT
    )
    link = settings.SITE_URL + reverse(
        "accounts:email_confirm", kwargs={"token": token}
    )
    audit_record(
        action="email.change_requested",
        member=member,
        actor=member,
        data={"new": mask_email(new_email)},
        ip=ip,
    )
    email_queue(
        to=new_email,
        template="email_change_confirm",
        context={
            "member": member,
            "link": link,
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
        language=member.preferred_language,
    )
    member_notify(
        member=member,
        template="email_change_requested",
        context={"new_email": mask_email(new_email), "ip": ip, "when": timezone.now()},
    )


def email_change_token_read(*, token: str, member: Member) -> str | None:
    """The new address a link confirms, if it is this member's, unused and fresh."""
    try:
        data = signing.loads(
            token, salt=_EMAIL_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT
        )
    except signing.BadSignature:
        return None
    if data.get("m") != member.pk or data.get("old") != member.email:
        return None
    return data["new"]


@transaction.atomic
def email_change_confirm(*, member: Member, new_email: str, ip: str) -> None:
    if email_in_use(email=new_email, member=member):
        raise ValidationError(_("This email address cannot be used. Choose another."))
    old_email = member.email
    member.email, member.email_verified = new_email, True
    member.full_clean(exclude=["password"])
    member.save(update_fields=["email", "email_verified"])
    audit_record(
        action="profile.changed",
        member=member,
        actor=member,
        data={
            "field": "email",
            "old": mask_email(old_email),
            "new": mask_email(new_email),
        },
        ip=ip,
    )
    if old_email:
        email_queue(
            to=old_email,
            template="email_changed",
            context={
                "member": member,
                "new_email": mask_email(new_email),
                "ip": ip,
                "when": timezone.now(),
            },
            language=member.preferred_language,
        )


HEIR_FIELDS = (
    "full_name",
    "nik",
    "relationship",
    "date_of_birth",
    "phone",
    "share_percent",
)


def _heir_summary(heir) -> dict:
    return {
        "name": heir.full_name,
        "nik": mask_nik(heir.nik),
        "relationship": heir.relationship,
        "share": heir.share_percent,
    }


@transaction.atomic
def heirs_replace(*, member: Member, keep: list[dict], ip: str) -> None:
    """Make the member's heirs exactly `keep` (dicts of HEIR_FIELDS, with
    "id" for existing ones), checking the rules on the whole set.

    The member row is locked so two tabs saving at once cannot leave shares
    that add up to something other than 100.
    """
    Member.objects.select_for_update().get(pk=member.pk)
    heirs_check(member=member, keep=keep)
    existing = {n.pk: n for n in member.heirs.all()}
    kept_ids = {row["id"] for row in keep if row.get("id")}
    before = [_heir_summary(n) for n in existing.values()]
    # Delete first: a replaced spouse must be gone before the new one arrives.
    member.heirs.exclude(pk__in=kept_ids).delete()
    # Park the kept rows on values no one uses, so NIKs or the spouse can swap
    # between people in one save without tripping the unique constraints.
    for pk in kept_ids:
        Heir.objects.filter(pk=pk).update(
            nik=f"P{pk:015d}"[-16:], relationship=Heir.Relationship.OTHER
        )
    for row in keep:
        heir = existing.get(row.get("id")) or Heir(member=member)
        for name in HEIR_FIELDS:
            setattr(heir, name, row[name])
        heir.full_clean(exclude=["member"])
        heir.save()
    after = [_heir_summary(n) for n in member.heirs.all()]
    if before == after:
        return
    audit_record(
        action="heirs.changed",
        member=member,
        actor=member,
        data={"before": before, "after": after},
        ip=ip,
    )
    member_notify(
        member=member,
        template="heirs_changed",
        context={"heirs": member.heirs.all(), "ip": ip, "when": timezone.now()},
    )


def heirs_check(*, member: Member, keep: list[dict]) -> None:
    errors = []
    if keep and sum(row["share_percent"] for row in keep) != 100:
        errors.append(_("The shares of all heirs must add up to exactly 100%."))
    if sum(row["relationship"] == Heir.Relationship.SPOUSE for row in keep) > 1:
        errors.append(_("You can register only one spouse."))
    niks = [row["nik"] for row in keep]
    if member.nik in niks:
        errors.append(_("You cannot name yourself as your own heir."))
    if len(set(niks)) != len(niks):
        errors.append(_("The same NIK is entered twice."))
    if errors:
        raise ValidationError(errors)
