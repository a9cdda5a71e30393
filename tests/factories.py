from datetime import date

import factory
from django.utils import timezone

from accounts.models import Member

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105


def nik_for(born: date, *, female: bool, serial: int) -> str:
    day = born.day + 40 if female else born.day
    return f"317101{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    kpj_number = factory.Sequence(lambda n: f"{10000000000 + n:011d}")
    full_name = factory.Faker("name", locale="id_ID")
    date_of_birth = date(1990, 3, 15)
    nik = factory.Sequence(
        lambda n: nik_for(date(1990, 3, 15), female=False, serial=n + 1)
    )
    email = factory.Sequence(lambda n: f"member{n}@example.com")
    email_verified = True
    preferred_language = "en"
    date_joined = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


def decided(status: str) -> dict:
    """What a claim in `status` has been given on its way: an approved claim
    has its amount, a paid one its payment date too (a database constraint)."""
    fields = {}
    if status in ("approved", "paid"):
        fields["approved_amount"] = 1_000_000
    if status == "paid":
        fields["paid_on"] = date(2025, 1, 10)
    return fields
