from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import Member
from ibsu.lib.masking import mask_email


class Command(BaseCommand):
    help = "List the locked member accounts, oldest lock first. Changes nothing."

    def handle(self, *args, **options):
        locked = Member.objects.filter(locked_at__isnull=False).order_by("locked_at")
        count = 0
        for member in locked.iterator():
            count += 1
            when = timezone.localtime(member.locked_at).strftime("%Y-%m-%d %H:%M")
            email = mask_email(member.email) if member.email else "-"
            self.stdout.write(
                f"{member.kpj_number}  {when}  {email}  {member.full_name}"
            )
        self.stdout.write(f"{count} locked account(s).")
