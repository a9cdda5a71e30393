"""Staff deciding a partial JHT claim in the admin: the share of the balance is
shown before they decide and refused on the form above it; payment is dated."""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from claims.models import Claim
from tests.claims.test_admin import act, page_text
from tests.claims.test_withdrawals import JAKARTA, partial_claim

pytestmark = pytest.mark.django_db

S = Claim.Status
R = Claim.Reason
# saver_2017 (tests/conftest.py) has a balance of Rp 1,439,545 on
# 15 March 2017, so at most Rp 143,954 (10 %) or Rp 431,863 (30 %).


@pytest.fixture
def admin_client(client, login, verified_staff):
    login(verified_staff)
    return client


def test_the_approval_page_shows_the_most_that_may_be_paid(admin_client, saver_2017):
    claim = partial_claim(saver_2017, R.PARTIAL_HOUSING)

    page = page_text(act(admin_client, "approve", [claim]))

    assert (
        f"{claim.number} is a partial JHT claim: at most Rp 431,863, which is 30% "
        "of the balance of Rp 1,439,545 on March 15, 2017, the day of the claim."
    ) in page


def test_an_amount_above_the_share_is_a_form_error_and_nothing_moves(
    admin_client, saver_2017
):
    claim = partial_claim(saver_2017)

    response = act(admin_client, "approve", [claim], amount="143955", note="")

    assert response.status_code == 200
    errors = response.context["form"].errors["amount"]
    assert errors == [
        f"{claim.number}: At most Rp 143,954 can be approved: 10% of the JHT "
        "balance of Rp 1,439,545 on March 15, 2017, the day of the claim."
    ]
    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.VERIFYING, None)


def test_exactly_the_share_is_approved(admin_client, saver_2017):
    claim = partial_claim(saver_2017)

    act(admin_client, "approve", [claim], amount="143954", note="")

    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.APPROVED, 143_954)


def test_marking_paid_records_the_payment_date(admin_client, saver_2017):
    claim = partial_claim(saver_2017)
    Claim.objects.filter(pk=claim.pk).update(status=S.APPROVED, approved_amount=1)

    act(admin_client, "mark_paid", [claim], reference="TRF-1", paid_on="2017-03-20")

    claim.refresh_from_db()
    assert (claim.status, claim.paid_on) == (S.PAID, date(2017, 3, 20))


def test_marking_paid_without_a_date_means_today(admin_client, saver_2017):
    claim = partial_claim(saver_2017)
    Claim.objects.filter(pk=claim.pk).update(status=S.APPROVED, approved_amount=1)

    act(admin_client, "mark_paid", [claim], reference="TRF-1")

    claim.refresh_from_db()
    assert (claim.status, claim.paid_on) == (S.PAID, timezone.localdate())


def test_a_payment_date_in_the_future_is_a_form_error(admin_client, saver_2017):
    claim = partial_claim(saver_2017)
    Claim.objects.filter(pk=claim.pk).update(status=S.APPROVED, approved_amount=1)

    with time_machine.travel(datetime(2026, 5, 4, 10, tzinfo=JAKARTA)):
        response = act(
            admin_client, "mark_paid", [claim], reference="TRF-1", paid_on="2026-05-05"
        )

    assert response.context["form"].errors["paid_on"] == [
        "The payment date cannot be in the future."
    ]
    assert Claim.objects.get(pk=claim.pk).status == S.APPROVED
