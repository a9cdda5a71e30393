"""Password reset, password change and first-time activation."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Member
from accounts.notify import member_notify
from accounts.signin.services import member_unlock
from audit.services import audit_record
from ibsu.lib.masking import mask_email
from outbox.services import email_queue

_ACTIVATION_SALT = "accounts.activation"


def password_reset_request(*, email: str, ip: str) -> None:
    """Email a reset link to the member with this address, if there is one.

    The caller answers the same whatever happens here, so the response never
    tells whether an address is registered.
    """
    member = (
        Member.objects.filter(email__iexact=email.strip(), is_active=True)
        .exclude(email="")
        .first()
    )
    if member is None or not member.has_usable_password():
        audit_record(
            action="password.reset_requested",
            data={"email": mask_email(email), "matched": False},
            ip=ip,
        )
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member),
        },
    )
    with transaction.atomic():
        audit_record(
            action="password.reset_requested",
            member=member,
            data={"matched": True},
            ip=ip,
        )
        email_queue(
            to=member.email,
            template="password_reset",
            context={
                "member": member,
                "link": settings.SITE_URL + path,
                "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                "ip": ip,
            },
            language=member.preferred_language,
        )


@transaction.atomic
def member_password_reset_complete(*, member: Member, ip: str) -> None:
    """After a new password was set through the emailed link.

    The emailed link proves the member owns the address, so it also lifts a
    lockout. Other sessions end by themselves: Django ties each session to
    the password hash, which just changed.
    """
    if not member_unlock(member=member, actor=None, via="password_reset"):
        Member.objects.filter(pk=member.pk).update(failed_login_count=0)
    audit_record(action="password.reset", member=member, actor=member, ip=ip)
    member_notify(
        member=member,
        template="password_reset_done",
        context={"ip": ip, "when": timezone.now()},
    )


@transaction.atomic
def member_password_changed(*, member: Member, ip: str) -> None:
    audit_record(action="password.changed", member=member, actor=member, ip=ip)
    member_notify(
        member=member,
        template="password_changed",
        context={"ip": ip, "when": timezone.now()},
    )


def activation_request(
    *, kpj_number: str, nik: str, date_of_birth, email: str, ip: str
) -> None:
    """Email an activation link when all four details match a not yet activated member.

    Nothing is said back either way; the audit trail keeps the outcome.
    """
    member = Member.objects.filter(
        kpj_number=kpj_number, nik=nik, date_of_birth=date_of_birth, is_active=True
    ).first()
    matched = member is not None and not member.has_usable_password()
    email_taken = (
        Member.objects.filter(email__iexact=email)
        .exclude(pk=getattr(member, "pk", None))
        .exists()
    )
    with transaction.atomic():
        audit_record(
            action="account.activation_requested",
            member=member if matched else None,
            data={
                "kpj": kpj_number[-4:],
                "matched": matched,
                "email_taken": email_taken,
            },
            ip=ip,
        )
        if not matched or email_taken:
            return
        token = signing.dumps(
            {"m": member.pk, "e": email, "p": member.password[-12:]},
            salt=_ACTIVATION_SALT,
        )
        email_queue(
            to=email,
            template="activation",
            context={
                "member": member,
                "link": settings.SITE_URL
                + reverse("accounts:activate_confirm", kwargs={"token": token}),
                "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            },
            language=member.preferred_language,
        )


def activation_token_read(token: str) -> tuple[Member, str] | None:
    """The member and email an activation link was made for, if it is still good.

    A link expires after PASSWORD_RESET_TIMEOUT and works once: it names the
    unusable password the member had, which activation replaces.
    """
    try:
        data = signing.loads(
            token, salt=_ACTIVATION_SALT, max_age=settings.PASSWORD_RESET_TIMEOUT
        )
    except signing.BadSignature:
        return None
    member = Member.objects.filter(pk=data.get("m"), is_active=True).first()
    if (
        member is None
        or member.has_usable_password()
        or member.password[-12:] != data.get("p")
    ):
        return None
    # Another member may have taken the address since the link was sent.
    if Member.objects.filter(email__iexact=data["e"]).exclude(pk=member.pk).exists():
        return None
    return member, data["e"]


@transaction.atomic
def member_activate(*, member: Member, email: str, password: str, ip: str) -> None:
    """Give an activated member their password and confirmed email address."""
    member.set_password(password)
    member.email = email
    member.email_verified = True
    member.full_clean(exclude=["password"])
    member.save(update_fields=["password", "email", "email_verified"])
    audit_record(
        action="account.activated",
        member=member,
        actor=member,
        data={"email": mask_email(email)},
        ip=ip,
    )
    member_notify(
        member=member,
        template="account_activated",
        context={"ip": ip, "when": timezone.now()},
    )
