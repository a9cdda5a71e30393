"""Two-step verification: authenticator app (TOTP), email codes, backup codes."""

import secrets
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCode, BackupCodeDevice, LoginEvent, Member
from accounts.notify import member_notify
from accounts.signin.services import login_event_record, member_register_failure
from audit.services import audit_record
from outbox.services import email_queue

_BACKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I look-alikes


def confirmed_devices(member: Member) -> list:
    """The member's working second factors: authenticator, email, backup codes."""
    devices: list = []
    for model in (TOTPDevice, EmailDevice, BackupCodeDevice):
        devices.extend(model.objects.filter(user=member, confirmed=True))
    return devices


def has_two_factor(member: Member) -> bool:
    """A confirmed authenticator or email codes, in one query.

    Plain SQL: the dashboard asks on every view, and the ORM's union cost
    several times the round trip (make bench).
    """
    quote = connection.ops.quote_name
    found = " OR ".join(
        f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} "  # noqa: S608 -- table names only  # nosec B608
        "WHERE user_id = %s AND confirmed)"
        for model in (TOTPDevice, EmailDevice)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {found}", [member.pk, member.pk])
        return bool(cursor.fetchone()[0])


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps want it typed: base32, in groups of four."""
    secret = b32encode(unhexlify(device.key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice, *, title: str) -> str:
    """The otpauth:// enrolment link as an inline SVG QR code, drawn on our server."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=title, omitsize=True
    )


def totp_device_pending(*, member: Member) -> TOTPDevice:
    """The member's unconfirmed authenticator, created with a fresh secret if needed."""
    device = TOTPDevice.objects.filter(user=member, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=member, name="authenticator", confirmed=False
        )
    return device


@transaction.atomic
def device_confirm(
    *, member: Member, device: TOTPDevice | EmailDevice, token: str, ip: str
) -> list[str] | None:
    """Activate an authenticator or email-code device if `token` is a current code.

    Returns the new backup codes when this turns two-step verification on
    (shown once), an empty list when it was on already, None on a wrong code.
    A confirmed device replaces any other of its kind.
    """
    if (
        device.user_id != member.pk
        or device.confirmed
        or not device.verify_token(token)
    ):
        return None
    first_factor = not has_two_factor(member)
    type(device).objects.filter(user=member).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    method = "totp" if isinstance(device, TOTPDevice) else "email"
    return _two_factor_enabled(member=member, method=method, ip=ip, first=first_factor)


def email_device_start(*, member: Member) -> EmailDevice:
    """An unconfirmed email-code device for the member's address, with a code sent."""
    device = EmailDevice.objects.filter(user=member, confirmed=False).first()
    if device is None:
        device = EmailDevice.objects.create(
            user=member, name="email", email=member.email, confirmed=False
        )
    email_code_send(device=device)
    return device


def email_code_send(*, device: EmailDevice) -> bool:
    """Email a fresh 6-digit code, at most once per cooldown. False when too soon."""
    allowed, _info = device.generate_is_allowed()
    if not allowed:
        return False
    with transaction.atomic():
        device.generate_token(
            valid_secs=settings.OTP_EMAIL_TOKEN_VALIDITY, commit=False
        )
        device.cooldown_set(commit=False)
        device.save()
        email_queue(
            to=device.email or device.user.email,
            template="login_code",
            context={
                "member": device.user,
                "code": device.token,
                "minutes": settings.OTP_EMAIL_TOKEN_VALIDITY // 60,
            },
            language=device.user.preferred_language,
        )
    return True


def _two_factor_enabled(
    *, member: Member, method: str, ip: str, first: bool
) -> list[str]:
    audit_record(
        action="two_factor.enabled",
        member=member,
        actor=member,
        data={"method": method},
        ip=ip,
    )
    member_notify(
        member=member,
        template="two_factor_enabled",
        context={"ip": ip, "when": timezone.now()},
    )
    if (
        first
        or not BackupCodeDevice.objects.filter(user=member, confirmed=True).exists()
    ):
        return backup_codes_generate(member=member, ip=ip, notify=False)
    return []


@transaction.atomic
def backup_codes_generate(*, member: Member, ip: str, notify: bool = True) -> list[str]:
    """Replace the member's backup codes with new ones; the old ones stop working.

    The codes are returned once, to be shown; only their hashes are stored.
    """
    BackupCodeDevice.objects.filter(user=member).delete()
    device = BackupCodeDevice.objects.create(
        user=member, name="backup codes", confirmed=True
    )
    codes = []
    for _ in range(settings.OTP_BACKUP_CODE_COUNT):
        raw = "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=make_password(code.replace("-", "")))
        for code in codes
    )
    if notify:
        audit_record(
            action="two_factor.backup_codes_regenerated",
            member=member,
            actor=member,
            ip=ip,
        )
        member_notify(
            member=member,
            template="backup_codes_regenerated",
            context={"ip": ip, "when": timezone.now()},
        )
    return codes


@transaction.atomic
def two_factor_disable(*, member: Member, ip: str) -> None:
    """Remove every second factor; callers checked the password and a current code."""
    for model in (TOTPDevice, EmailDevice, BackupCodeDevice):
        model.objects.filter(user=member).delete()
    audit_record(action="two_factor.disabled", member=member, actor=member, ip=ip)
    member_notify(
        member=member,
        template="two_factor_disabled",
        context={"ip": ip, "when": timezone.now()},
    )


# Where a 6-digit code comes from, as the member says when giving it.
DIGIT_DEVICES = {"app": TOTPDevice, "email": EmailDevice}


def code_sources(member: Member, *, emailed: bool) -> tuple[str, bool]:
    """The source of a code to offer first ("app" or "email"), and whether the
    member has both and so must say which: email once a code was emailed."""
    has = {
        name: model.objects.filter(user=member, confirmed=True).exists()
        for name, model in DIGIT_DEVICES.items()
    }
    first = "email" if has["email"] and (emailed or not has["app"]) else "app"
    return first, all(has.values())


def second_factor_verify(
    *, member: Member, code: str, method: str, ip: str, user_agent: str
):
    """The confirmed device that accepts `code`, or None.

    Digits are tried against the device `method` names ("app" or "email")
    only, anything else against the backup codes only. Each device throttles
    its own guesses (waits of 1, 2, 4 … seconds), so trying a code on a device
    the member did not use would throttle it for nothing: ~20 sign-ins by email
    code once left the authenticator refusing its next right code (django-otp
    issue #110). A wrong code is logged and counts toward the account lockout,
    like a wrong password.
    """
    code = code.strip().replace(" ", "")
    model = DIGIT_DEVICES.get(method) if code.isdigit() else BackupCodeDevice
    devices = model.objects.filter(user=member, confirmed=True) if model else []
    for device in devices:
        if code and device.verify_token(code):
            return device
    with transaction.atomic():
        member_register_failure(member=member, ip=ip)
        login_event_record(
            outcome=LoginEvent.Outcome.BAD_OTP,
            identifier=member.kpj_number,
            ip=ip,
            user_agent=user_agent,
            member=member,
        )
    return None
