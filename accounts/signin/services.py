"""Account rules: login attempts, lockout, throttling and unlocking."""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import LoginEvent, Member
from accounts.notify import member_notify
from audit.services import audit_record
from ibsu.lib.user_agent import describe_user_agent


@dataclass(frozen=True)
class LoginResult:
    outcome: str
    member: Member | None

    @property
    def succeeded(self) -> bool:
        return self.outcome == LoginEvent.Outcome.SUCCESS


def member_find_by_identifier(identifier: str) -> Member | None:
    """The member whose KPJ number or email (any letter case) this is."""
    identifier = identifier.strip()
    if identifier.isdigit():
        return Member.objects.filter(kpj_number=identifier).first()
    if "@" in identifier:
        return Member.objects.filter(email__iexact=identifier).exclude(email="").first()
    return None


def login_event_record(
    *, outcome: str, identifier: str, ip: str, user_agent: str, member=None
) -> LoginEvent:
    return LoginEvent.objects.create(
        outcome=outcome,
        identifier=identifier.strip()[:254],
        member=member,
        ip=ip or None,
        user_agent=user_agent[:300],
    )


def login_throttle_retry_after(*, ip: str) -> int | None:
    """Seconds this address must wait, or None when it may try to log in.

    An address with LOGIN_IP_FAILURE_LIMIT failures inside LOGIN_IP_WINDOW is
    refused until the oldest of those failures leaves the window.
    """
    limit = settings.LOGIN_IP_FAILURE_LIMIT
    window = settings.LOGIN_IP_WINDOW
    now = timezone.now()
    recent = list(
        LoginEvent.objects.filter(
            ip=ip, outcome__in=LoginEvent.FAILURES, created_at__gte=now - window
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return max(1, math.ceil((recent[-1] + window - now).total_seconds()))


def login_attempt(
    *, identifier: str, password: str, ip: str, user_agent: str
) -> LoginResult:
    """Check a password under the lockout rules; record the attempt if it failed.

    Every path costs one password hash, so response time does not tell an
    unknown account from a known one, nor a locked account from an open one.
    A right password is not yet a sign-in: the caller finishes with
    member_signed_in, or second_step_started when two-step verification is on.
    """
    member = member_find_by_identifier(identifier)
    if member is None:
        Member().set_password(password)
        outcome = LoginEvent.Outcome.UNKNOWN_ACCOUNT
    else:
        password_ok = member.check_password(password)
        if member.is_locked:
            outcome = LoginEvent.Outcome.LOCKED
        elif not member.is_active:
            outcome = LoginEvent.Outcome.INACTIVE
        elif password_ok:
            return LoginResult(outcome=LoginEvent.Outcome.SUCCESS, member=member)
        else:
            outcome = LoginEvent.Outcome.BAD_PASSWORD
    with transaction.atomic():
        if outcome == LoginEvent.Outcome.BAD_PASSWORD:
            member_register_failure(member=member, ip=ip)
        login_event_record(
            outcome=outcome,
            identifier=identifier,
            ip=ip,
            user_agent=user_agent,
            member=member,
        )
    return LoginResult(outcome=outcome, member=member)


def second_step_started(
    *, member: Member, identifier: str, ip: str, user_agent: str
) -> None:
    login_event_record(
        outcome=LoginEvent.Outcome.PASSWORD_OK,
        identifier=identifier,
        ip=ip,
        user_agent=user_agent,
        member=member,
    )


@transaction.atomic
def member_signed_in(*, member: Member, ip: str, user_agent: str) -> None:
    """A complete sign-in: clear the failure count, log it, warn of a new device.

    The warning goes out when this browser or this address has not signed in
    to the account before (and it has signed in before at all).
    """
    earlier = LoginEvent.objects.filter(
        member=member, outcome=LoginEvent.Outcome.SUCCESS
    )
    is_new_device = earlier.exists() and not (
        earlier.filter(ip=ip or None).exists()
        and earlier.filter(user_agent=user_agent[:300]).exists()
    )
    Member.objects.filter(pk=member.pk).update(failed_login_count=0)
    login_event_record(
        outcome=LoginEvent.Outcome.SUCCESS,
        identifier=member.kpj_number,
        ip=ip,
        user_agent=user_agent,
        member=member,
    )
    if is_new_device:
        member_notify(
            member=member,
            template="new_sign_in",
            context={
                "ip": ip,
                "when": timezone.now(),
                "browser": describe_user_agent(user_agent),
            },
        )


def member_register_failure(*, member: Member, ip: str) -> None:
    """Count a wrong password or code; reaching the limit locks the account.

    Both steps are single UPDATEs, so concurrent failures count exactly and only
    one of them sends the lock email.
    """
    Member.objects.filter(pk=member.pk).update(
        failed_login_count=F("failed_login_count") + 1
    )
    now = timezone.now()
    locked = Member.objects.filter(
        pk=member.pk,
        locked_at__isnull=True,
        failed_login_count__gte=settings.LOGIN_FAILURE_LIMIT,
    ).update(locked_at=now)
    if not locked:
        return
    audit_record(
        action="member.locked",
        member=member,
        data={"failures": settings.LOGIN_FAILURE_LIMIT},
        ip=ip,
    )
    member_notify(
        member=member, template="account_locked", context={"when": now, "ip": ip}
    )


def member_unlock(*, member: Member, actor: Member | None, via: str) -> bool:
    """Unlock a locked account and reset its failure count. False if it was not locked.

    `via` says how: "admin", "command" or "password_reset". The member is told
    by email, and the unlock is audited with who did it.
    """
    with transaction.atomic():
        unlocked = Member.objects.filter(pk=member.pk, locked_at__isnull=False).update(
            locked_at=None, failed_login_count=0
        )
        if not unlocked:
            return False
        audit_record(
            action="member.unlocked", member=member, actor=actor, data={"via": via}
        )
        member_notify(
            member=member, template="account_unlocked", context={"when": timezone.now()}
        )
    member.refresh_from_db(fields=["locked_at", "failed_login_count"])
    return True
