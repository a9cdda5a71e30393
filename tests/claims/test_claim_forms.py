"""What the member types on the claim pages: the JKP dismissal date, the
confirmations JKP needs, the NPWP as printed on the card."""

import html
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from claims.models import Claim
from contributions.models import Employer, Employment
from tests.claims.test_eligibility import months
from tests.claims.test_eligibility_golden import pay

pytestmark = pytest.mark.django_db

R = Claim.Reason
TODAY = date(2025, 7, 15)


def text(response) -> str:
    return " ".join(
        html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )


@pytest.fixture
def dismissed(member):
    employer = Employer.objects.create(npp="NPP00001", name="PT Contoh")
    Employment.objects.create(
        member=member, employer=employer, start=date(2018, 1, 8), end=date(2025, 6, 30)
    )
    pay(member, employer, months(date(2024, 7, 1), 12))
    return member


def start_jkp(client, **data):
    return client.post(
        reverse("claims:new"),
        {"programme": "JKP", "reason": R.DISMISSAL, **data},
        follow=True,
    )


def test_the_jkp_start_asks_for_the_dismissal_date(client, login, dismissed):
    with time_machine.travel(TODAY):
        login(dismissed)
        page = client.get(reverse("claims:new"))

    assert 'name="dismissal_date"' in page.content.decode()
    assert "the rules depend on the date of your dismissal" in text(page)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Tell us the date of your dismissal."),
        ("30/06/2025", "Enter the date as on the letter, e.g. 2025-06-30."),
        ("2025-07-16", "The dismissal date cannot be in the future."),
        (
            "2024-12-31",
            "Job-loss benefit must be claimed within 3 months of the dismissal: "
            "by March 31, 2025.",
        ),
    ],
)
def test_a_wrong_dismissal_date_is_said_and_no_claim_is_made(
    client, login, dismissed, typed, message
):
    with time_machine.travel(TODAY):
        login(dismissed)
        response = start_jkp(client, dismissal_date=typed)

    assert message in text(response)
    assert not Claim.objects.exists()


def test_a_jkp_claim_starts_with_its_date_and_asks_for_the_confirmations(
    client, login, dismissed
):
    with time_machine.travel(TODAY):
        login(dismissed)
        response = start_jkp(client, dismissal_date="2025-06-30")
        claim = Claim.objects.get()
        page = text(response)
        assert claim.details == {"dismissal_date": "2025-06-30"}
        assert "Confirm that you are an Indonesian citizen." in page

        client.post(
            reverse("claims:edit", args=[claim.pk]),
            {
                "bank_name": "Bank Rakyat Indonesia",
                "bank_account_number": "002301000123567",
                "bank_account_holder": dismissed.full_name,
                "dismissal_date": "2025-06-30",
                "citizen": "on",
                "jkn_enrolled": "on",
            },
        )

    claim.refresh_from_db()
    assert claim.details == {
        "dismissal_date": "2025-06-30",
        "citizen": True,
        "jkn_enrolled": True,
    }


@pytest.fixture
def jht_claim(member):
    return Claim.objects.create(member=member, programme="JHT", reason=R.AGE)


def details(member, npwp):
    return {
        "bank_name": "Bank Rakyat Indonesia",
        "bank_account_number": "002301000123567",
        "bank_account_holder": member.full_name,
        "npwp": npwp,
    }


def test_the_npwp_is_accepted_as_printed_and_kept_as_digits(
    client, login, member, jht_claim
):
    login(member)

    client.post(
        reverse("claims:edit", args=[jht_claim.pk]),
        details(member, "12.345.678.9-012.000"),
    )

    jht_claim.refresh_from_db()
    assert jht_claim.details["npwp"] == "123456789012000"


def test_a_wrong_npwp_is_explained_and_nothing_is_saved(
    client, login, member, jht_claim
):
    login(member)

    response = client.post(
        reverse("claims:edit", args=[jht_claim.pk]), details(member, "12.345.678")
    )

    assert response.status_code == 200
    assert (
        "Enter the NPWP as printed on the card, for example 12.345.678.9-012.000, "
        "or your 16-digit NIK."
    ) in text(response)
    jht_claim.refresh_from_db()
    assert (jht_claim.bank_name, jht_claim.details) == ("", {})
