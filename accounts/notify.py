"""Security notices to a member, by email, in their language (the outbox)."""

from accounts.models import Member
from outbox.services import email_queue


def member_notify(*, member: Member, template: str, context: dict) -> None:
    """Queue a security notice to the member, in their language."""
    if not member.email:
        return
    email_queue(
        to=member.email,
        template=template,
        context={"member": member, **context},
        language=member.preferred_language,
    )
