"""A paid partial JHT claim leaves the balance; staff cannot pay more than the
share the law allows (PP 46/2015 art. 22: at most 10 % for retirement
preparation, 30 % for housing, of the balance at the claim).

Every expected rupiah is worked out by hand in the comment above it.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from accounts.models import Member
from audit.models import AuditEntry
from claims import services
from claims.models import Claim
from claims.withdrawals import partial_limit
from contributions.balance import (
    BalanceYear,
    Withdrawal,
    compute_balance,
    jht_balance_for_member,
)

pytestmark = pytest.mark.django_db

S = Claim.Status
R = Claim.Reason
JAKARTA = ZoneInfo("Asia/Jakarta")
REAL_2016 = (Decimal("7.19"), False)
DEMO_2017 = (Decimal("7.00"), True)


def every_month(year: int, amount: int) -> dict[date, int]:
    return {date(year, month, 1): amount for month in range(1, 13)}


# --- The in-year method (compute_balance, no database) ----------------------------
# 2016 at 7.19 %: 100,000 a month; month m earns (12 - m)/12, so the year earns
# on 100,000 x 66/12 = 550,000; x 7.19 % = 39,545; closing 1,239,545.
# 2017 at 7.00 %: opening 1,239,545 earns all year, the twelve months of 100,000
# again earn on 550,000, and a withdrawal paid in month p stops earning from the
# start of that month: (13 - p)/12 of it is taken off what earns.


def balance_2017(withdrawn: int, paid_on: date) -> BalanceYear:
    monthly = {**every_month(2016, 100_000), **every_month(2017, 100_000)}
    withdrawal = Withdrawal(paid_on=paid_on, amount=withdrawn, claim_number="KLM-1")
    balance = compute_balance(
        monthly,
        {2016: REAL_2016, 2017: DEMO_2017},
        until_year=2017,
        withdrawals=(withdrawal,),
    )
    assert balance.years[0].closing == 1_239_545
    return balance.years[1]


def test_a_withdrawal_in_march_earns_for_january_and_february_only():
    # 123,954 paid 20 March: 123,954 x 10/12 = 103,295 earns no more.
    # Earning: 1,239,545 + 550,000 - 103,295 = 1,686,250; x 7 % = 118,037.5,
    # rounded half up to 118,038.
    # Closing: 1,239,545 + 1,200,000 - 123,954 + 118,038 = 2,433,629.
    assert balance_2017(123_954, date(2017, 3, 20)) == BalanceYear(
        2017, 1_239_545, 1_200_000, Decimal("7.00"), True, 118_038, 2_433_629, 123_954
    )


def test_a_withdrawal_in_january_earns_nothing_that_year():
    # 100,000 paid 31 January: all 12/12 of it earns no more.
    # Earning: 1,239,545 + 550,000 - 100,000 = 1,689,545; x 7 % = 118,268.15
    # -> 118,268. Closing: 2,439,545 - 100,000 + 118,268 = 2,457,813.
    assert balance_2017(100_000, date(2017, 1, 31)) == BalanceYear(
        2017, 1_239_545, 1_200_000, Decimal("7.00"), True, 118_268, 2_457_813, 100_000
    )


def test_a_withdrawal_on_the_first_of_december_earned_eleven_months():
    # 100,000 paid 1 December: 1/12 of it, 8,333.33..., earns no more.
    # Earning: 1,789,545 - 8,333.33... = 1,781,211.66...; x 7 % = 124,684.81...
    # -> 124,685. Closing: 2,439,545 - 100,000 + 124,685 = 2,464,230.
    assert balance_2017(100_000, date(2017, 12, 1)) == BalanceYear(
        2017, 1_239_545, 1_200_000, Decimal("7.00"), True, 124_685, 2_464_230, 100_000
    )


def test_without_a_rate_a_withdrawal_still_leaves_the_balance():
    monthly = {**every_month(2016, 100_000), date(2017, 1, 1): 100_000}
    withdrawal = Withdrawal(paid_on=date(2017, 6, 1), amount=50_000, claim_number="K")

    year = compute_balance(
        monthly, {2016: REAL_2016}, until_year=2017, withdrawals=(withdrawal,)
    ).years[1]

    # 1,239,545 + 100,000 - 50,000, no return published for 2017.
    assert (year.returns, year.withdrawals, year.closing) == (0, 50_000, 1_289_545)


# --- A partial claim end to end -----------------------------------------------------
# The member: 100,000 JHT a month in 2016 and 2017, each paid on the 10th of the
# next month. The claim is made on 15 March 2017. The balance that day:
# 2016 closed at 1,239,545 (above); January and February 2017 were paid by
# 10 March (March's only on 10 April): 1,239,545 + 200,000 = 1,439,545, with no
# 2017 return yet (the year's return is credited when the year ends).
# 10 % of 1,439,545 = 143,954.5: at most Rp 143,954 (no half rupiah is paid).
# 30 % of 1,439,545 = 431,863.5: at most Rp 431,863.
BALANCE_AT_CLAIM = 1_439_545


def partial_claim(member, reason=R.PARTIAL_RETIREMENT) -> Claim:
    return Claim.objects.create(
        member=member,
        programme="JHT",
        reason=reason,
        status=S.VERIFYING,
        submitted_at=datetime(2017, 3, 15, 9, 30, tzinfo=JAKARTA),
    )


def approve(claim, staff, amount):
    return services.claim_transition(
        claim_id=claim.pk, to=S.APPROVED, actor=staff, approved_amount=amount
    )


@pytest.mark.parametrize(
    ("reason", "most"),
    [(R.PARTIAL_RETIREMENT, 143_954), (R.PARTIAL_HOUSING, 431_863)],
)
def test_exactly_the_share_of_the_balance_at_the_claim_is_approved(
    saver_2017, staff, reason, most
):
    claim = approve(partial_claim(saver_2017, reason), staff, most)

    assert (claim.status, claim.approved_amount) == (S.APPROVED, most)
    entry = AuditEntry.objects.get(action="claim.approved")
    assert entry.data["balance_at_claim"] == BALANCE_AT_CLAIM
    assert entry.data["maximum"] == most


@pytest.mark.parametrize(
    ("reason", "one_more", "message"),
    [
        (
            R.PARTIAL_RETIREMENT,
            143_955,
            "At most Rp 143,954 can be approved: 10% of the JHT balance of "
            "Rp 1,439,545 on March 15, 2017, the day of the claim.",
        ),
        (
            R.PARTIAL_HOUSING,
            431_864,
            "At most Rp 431,863 can be approved: 30% of the JHT balance of "
            "Rp 1,439,545 on March 15, 2017, the day of the claim.",
        ),
    ],
)
def test_one_rupiah_above_the_share_is_refused(
    saver_2017, staff, reason, one_more, message
):
    claim = partial_claim(saver_2017, reason)

    with translation.override("en"), pytest.raises(services.ValidationError) as no:
        approve(claim, staff, one_more)

    assert no.value.messages == [message]
    claim.refresh_from_db()
    assert (claim.status, claim.approved_amount) == (S.VERIFYING, None)


def test_a_full_claim_has_no_share_limit(saver_2017, staff):
    claim = partial_claim(saver_2017, R.RESIGNATION)

    assert approve(claim, staff, 2_000_000).status == S.APPROVED


def test_a_paid_partial_claim_leaves_the_balance_from_its_payment_date(
    saver_2017, staff
):
    claim = approve(partial_claim(saver_2017), staff, 143_954)
    version = Member.objects.get(pk=saver_2017.pk).figures_version

    services.claim_transition(
        claim_id=claim.pk,
        to=S.PAID,
        actor=staff,
        payment_reference="TRF-2017-0001",
        paid_on=date(2017, 3, 20),
    )

    # Cached figures are stale in the same transaction as the payment.
    assert Member.objects.get(pk=saver_2017.pk).figures_version == version + 1
    year = jht_balance_for_member(member=saver_2017, until_year=2017).years[1]
    # 2017: 143,954 paid in March: 143,954 x 10/12 = 119,961.66... earns no more.
    # Earning: 1,239,545 + 550,000 - 119,961.66... = 1,669,583.33...;
    # x 7 % = 116,870.83... -> 116,871.
    # Closing: 1,239,545 + 1,200,000 - 143,954 + 116,871 = 2,412,462.
    assert year == BalanceYear(
        2017, 1_239_545, 1_200_000, Decimal("7.00"), True, 116_871, 2_412_462, 143_954
    )


def test_a_partial_claim_approved_but_not_paid_does_not_leave_the_balance(
    saver_2017, staff
):
    approve(partial_claim(saver_2017), staff, 143_954)

    # Without the withdrawal: 1,239,545 + 550,000 = 1,789,545; x 7 % =
    # 125,268.15 -> 125,268; closing 2,439,545 + 125,268 = 2,564,813.
    assert (
        jht_balance_for_member(member=saver_2017, until_year=2017).amount == 2_564_813
    )


@pytest.mark.parametrize(
    ("paid_on", "message"),
    [
        (date(2017, 3, 14), "The payment date cannot be before the claim was made."),
        (date(2031, 1, 1), "The payment date cannot be in the future."),
    ],
)
def test_a_payment_date_outside_the_claim_is_refused(
    saver_2017, staff, paid_on, message
):
    claim = approve(partial_claim(saver_2017), staff, 143_954)

    with translation.override("en"), pytest.raises(services.ValidationError) as no:
        services.claim_transition(
            claim_id=claim.pk, to=S.PAID, actor=staff, paid_on=paid_on
        )

    assert no.value.messages == [message]
    assert Claim.objects.get(pk=claim.pk).status == S.APPROVED


# --- What the member sees ---------------------------------------------------------


BIG_AMOUNT = re.compile(r'<p class="big-amount">([^<]*)</p>')


def test_the_contributions_page_shows_the_withdrawal_at_once(
    client, login, saver_2017, staff
):
    claim = approve(partial_claim(saver_2017), staff, 143_954)
    with time_machine.travel(datetime(2017, 12, 20, 10, tzinfo=JAKARTA)):
        login(saver_2017)
        before = client.get(reverse("contributions:history")).content.decode()
        services.claim_transition(
            claim_id=claim.pk, to=S.PAID, actor=staff, paid_on=date(2017, 3, 20)
        )
        after = client.get(reverse("contributions:history")).content.decode()

    # Before: 2,564,813 (above); after: 2,412,462 (above).
    assert BIG_AMOUNT.search(before).group(1) == "Rp 2,564,813"
    assert BIG_AMOUNT.search(after).group(1) == "Rp 2,412,462"
    text = " ".join(re.sub(r"<[^>]+>", " ", after).split())
    assert (
        f"Less Rp 143,954 paid to you on March 20, 2017 (partial claim "
        f"{claim.number}); from that month it no longer earns a return."
    ) in text
    assert "2017 Rp 1,239,545 Rp 1,200,000 Rp 143,954 7.00% (demo)" in text


def test_a_claim_paid_on_the_day_it_was_made_is_measured_without_itself(
    saver_2017, staff
):
    claim = approve(partial_claim(saver_2017), staff, 143_954)
    services.claim_transition(
        claim_id=claim.pk, to=S.PAID, actor=staff, paid_on=date(2017, 3, 15)
    )

    limit = partial_limit(Claim.objects.get(pk=claim.pk))

    assert (limit.balance, limit.maximum) == (BALANCE_AT_CLAIM, 143_954)
