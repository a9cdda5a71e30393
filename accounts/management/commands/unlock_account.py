from django.core.management.base import BaseCommand, CommandError

from accounts.signin.services import member_find_by_identifier, member_unlock


class Command(BaseCommand):
    help = (
        "Unlock a member's account after it was locked by failed logins, given the "
        "member number (KPJ) or email. Resets the failure count, audits the unlock "
        "and emails the member. Running it on an open account changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifier", help="member number (KPJ) or email address")

    def handle(self, *args, identifier, **options):
        member = member_find_by_identifier(identifier)
        if member is None:
            raise CommandError(f"No member has the number or email {identifier!r}.")
        if member_unlock(member=member, actor=None, via="command"):
            self.stdout.write(self.style.SUCCESS(f"Unlocked {member.kpj_number}."))
        else:
            self.stdout.write(f"{member.kpj_number} is not locked; nothing changed.")
