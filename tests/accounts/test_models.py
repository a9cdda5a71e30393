from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Member
from accounts.validators import validate_kpj, validate_nik
from tests.factories import MemberFactory


@pytest.mark.parametrize("kpj", ["12345678901", "00000000000"])
def test_kpj_of_11_digits_is_valid(kpj):
    validate_kpj(kpj)


@pytest.mark.parametrize(
    "kpj", ["1234567890", "123456789012", "1234567890a", "", " 2345678901"]
)
def test_kpj_must_be_exactly_11_digits(kpj):
    with pytest.raises(ValidationError, match="exactly 11 digits"):
        validate_kpj(kpj)


@pytest.mark.parametrize(
    "nik",
    [
        "3171015405880001",  # woman born 14 May 1988 in Jakarta: day + 40
        "3273012208850002",  # man born 22 August 1985
        "9501012902000001",  # 29 February, Papua Pegunungan (Kemendagri 95)
    ],
)
def test_valid_niks(nik):
    validate_nik(nik)


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("317101540588000", "exactly 16 digits"),
        ("31710154058800012", "exactly 16 digits"),
        ("31710154O5880001", "exactly 16 digits"),
        ("2071015405880001", "province code"),  # 20 is no province
        ("9701012902000001", "province code"),  # 97 is BPS's code, not Kemendagri's
        ("3171013205880001", "not a valid date"),  # day 32
        ("3171017205880001", "not a valid date"),  # day 72 (32 for a woman)
        ("3171011513880001", "not a valid date"),  # month 13
        ("3171013002880001", "not a valid date"),  # 30 February
        ("3171011505880000", "start from 0001"),
    ],
)
def test_invalid_niks_say_what_is_wrong(nik, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_nik(nik)


@pytest.mark.django_db
def test_member_email_is_unique_in_any_letter_case():
    MemberFactory(email="Siti@Example.com")
    duplicate = MemberFactory.build(email="siti@example.COM")

    with pytest.raises(ValidationError, match="already in use"):
        duplicate.full_clean()


@pytest.mark.django_db
def test_members_may_have_no_email_yet():
    MemberFactory(email="")
    MemberFactory(email="")

    assert Member.objects.filter(email="").count() == 2


@pytest.mark.django_db
def test_database_refuses_a_malformed_kpj_even_without_validation():
    with pytest.raises(IntegrityError):
        Member.objects.bulk_create(
            [
                Member(
                    kpj_number="12345",
                    nik="3171015405880001",
                    full_name="X",
                    date_of_birth=date(1988, 5, 14),
                )
            ]
        )


@pytest.mark.django_db
def test_create_user_validates_and_hashes():
    member = Member.objects.create_user(
        "12345678901",
        "a long enough password",
        nik="3171015405880001",
        full_name="Siti Rahayu",
        date_of_birth=date(1988, 5, 14),
        email="SITI@EXAMPLE.COM",
    )

    assert member.check_password("a long enough password")
    assert member.email == "SITI@example.com"  # the domain part is normalised
    with pytest.raises(ValidationError):
        Member.objects.create_user(
            "123",
            nik="3171015405880002",
            full_name="Y",
            date_of_birth=date(1988, 5, 14),
        )


@pytest.mark.django_db
def test_member_without_password_cannot_log_in_until_activated():
    member = Member.objects.create_user(
        "12345678901",
        nik="3171015405880001",
        full_name="X",
        date_of_birth=date(1988, 5, 14),
    )

    assert not member.has_usable_password()
