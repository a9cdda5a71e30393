"""Claim rules at their boundaries, written from the regulations:

- JP (PP 45/2015): a monthly old-age pension after 180 months with a JP
  contribution; JP began 1 July 2015, so months before it never count.
- JKP (PP 37/2021 art. 4, 19, 40; PP 6/2025): a dismissal; paid contributions in
  12 of the 24 months up to it, 6 of them in a row; under 54 at registration;
  claimed within 6 months of it (3 months for dismissals before 7 February
  2025, when PP 6/2025 took effect).
- JHT (Permenaker 4/2022): leaving Indonesia permanently, with the passport and
  a statement of no longer working in Indonesia; the NPWP over Rp 50 jt or after
  a paid partial claim.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims import services
from claims.eligibility import (
    ineligibility,
    jp_months_missing,
    member_facts,
    monthly_pension,
    required_documents,
)
from claims.models import Claim, ClaimDocument
from contributions.models import Contribution, Employer, Employment
from tests.claims.test_eligibility import born_on, months
from tests.factories import decided

pytestmark = pytest.mark.django_db

R = Claim.Reason
K = ClaimDocument.Kind
S = Claim.Status


@pytest.fixture
def employer(db):
    return Employer.objects.create(npp="NPP00001", name="PT Contoh", province_code="31")


def pay(member, employer, periods, *, jp=30_000, paid=True):
    """One contribution per period with a JP amount (0 for none)."""
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=period,
            wage=3_000_000,
            jht_employer=111_000,
            jht_employee=60_000,
            jp_employer=jp * 2 // 3,
            jp_employee=jp - jp * 2 // 3,
            paid_date=date(period.year, period.month, 10) if paid else None,
        )
        for period in periods
    )


def facts(member, today=date(2025, 7, 15)):
    return member_facts(member=member, today=today)


# --- JP: 180 months with a JP contribution ------------------------------------------


@pytest.mark.parametrize(
    ("paid", "monthly", "missing"), [(179, False, 1), (180, True, 0), (181, True, 0)]
)
def test_a_monthly_pension_needs_180_jp_months(
    member, employer, paid, monthly, missing
):
    pay(member, employer, months(date(2015, 7, 1), paid))

    known = facts(member)
    assert (known.jp_months, monthly_pension(known)) == (paid, monthly)
    assert jp_months_missing(known) == missing


def test_months_before_jp_began_in_july_2015_do_not_count(member, employer):
    # January to June 2015 (6 months) then 174 from July 2015: 174 JP months.
    pay(member, employer, months(date(2015, 1, 1), 180))

    known = facts(member)
    assert (known.jp_months, monthly_pension(known)) == (174, False)


def test_months_without_a_jp_amount_or_unpaid_do_not_count(member, employer):
    periods = months(date(2015, 7, 1), 180)
    pay(member, employer, periods[:178])
    pay(member, employer, periods[178:179], jp=0)  # JHT only
    pay(member, employer, periods[179:], paid=False)

    assert facts(member).jp_months == 178


def test_two_employers_in_one_month_are_one_jp_month(member, employer):
    second = Employer.objects.create(npp="NPP00002", name="PT Lain", province_code="31")
    periods = months(date(2015, 7, 1), 179)
    pay(member, employer, periods)
    pay(member, second, periods[-1:])

    assert facts(member).jp_months == 179


def test_the_claim_page_says_how_many_jp_months_and_how_many_are_missing(
    client, login, member, employer
):
    pay(member, employer, months(date(2015, 7, 1), 179))
    login(member)

    page = " ".join(client.get(reverse("claims:new")).content.decode().split())

    assert (
        "You have 179 months with a JP contribution (JP began in July 2015). "
        "A monthly old-age pension needs 180: 1 more to go. With fewer, it is "
        "paid as a lump sum."
    ) in page


# --- JKP ---------------------------------------------------------------------------


def dismissed_member(member, employer, paid_periods, *, end=date(2025, 6, 30)):
    Employment.objects.create(
        member=member, employer=employer, start=date(2018, 1, 8), end=end
    )
    pay(member, employer, paid_periods)
    return member


def jkp(member, dismissed: date | None, today=date(2025, 7, 15)) -> list[str]:
    details = {"dismissal_date": dismissed.isoformat()} if dismissed else {}
    return ineligibility("JKP", R.DISMISSAL, facts(member, today), details)


# Dismissed 30 June 2025: the 24 months up to it are July 2023 - June 2025.


def test_jkp_with_12_paid_months_in_the_24_up_to_the_dismissal(member, employer):
    dismissed_member(member, employer, months(date(2024, 7, 1), 12))

    assert jkp(member, date(2025, 6, 30)) == []


def test_jkp_with_11_paid_months_is_refused(member, employer):
    dismissed_member(member, employer, months(date(2024, 8, 1), 11))

    assert jkp(member, date(2025, 6, 30)) == [
        "Job-loss benefit needs 12 months of paid contributions in the 24 months "
        "up to the dismissal; you have 11."
    ]


def test_the_24th_month_back_counts_and_the_25th_does_not(member, employer):
    dismissed_member(member, employer, months(date(2024, 8, 1), 11))
    pay(member, employer, [date(2023, 6, 1)])  # 25th month back: not counted

    assert "you have 11." in jkp(member, date(2025, 6, 30))[0]

    pay(member, employer, [date(2023, 7, 1)])  # 24th month back: counted
    assert jkp(member, date(2025, 6, 30)) == []


def test_jkp_needs_six_paid_months_in_a_row(member, employer):
    # 12 paid months, in runs of 5, 5 and 2: no run of 6.
    runs = months(date(2023, 7, 1), 5) + months(date(2024, 1, 1), 5)
    dismissed_member(member, employer, runs + months(date(2025, 5, 1), 2))

    assert jkp(member, date(2025, 6, 30)) == [
        "Job-loss benefit needs 6 months in a row of paid contributions before "
        "the dismissal; your longest run is 5."
    ]


def test_jkp_with_a_run_of_exactly_six_paid_months(member, employer):
    runs = months(date(2023, 7, 1), 6) + months(date(2024, 1, 1), 4)
    dismissed_member(member, employer, runs + months(date(2025, 5, 1), 2))

    assert jkp(member, date(2025, 6, 30)) == []


@pytest.mark.parametrize(
    ("dismissed", "last_day", "shown"),
    [
        # PP 6/2025 (from 7 February 2025): six months.
        (date(2025, 2, 7), date(2025, 8, 7), "Aug. 7, 2025"),
        (date(2025, 8, 31), date(2026, 2, 28), "Feb. 28, 2026"),  # no 31 February
        # PP 37/2021 for dismissals before 7 February 2025: three months.
        (date(2025, 2, 6), date(2025, 5, 6), "May 6, 2025"),
        (date(2024, 11, 30), date(2025, 2, 28), "Feb. 28, 2025"),
    ],
)
def test_jkp_is_claimed_by_the_deadline_of_its_dismissal_date(
    member, employer, dismissed, last_day, shown
):
    dismissed_member(member, employer, months(date(2023, 12, 1), 21), end=dismissed)
    months_given = 6 if dismissed >= date(2025, 2, 7) else 3

    assert jkp(member, dismissed, today=last_day) == []
    assert jkp(member, dismissed, today=_day_after(last_day)) == [
        f"Job-loss benefit must be claimed within {months_given} months of the "
        f"dismissal: by {shown}."
    ]


def _day_after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def test_a_dismissal_date_in_the_future_is_refused(member, employer):
    dismissed_member(member, employer, months(date(2024, 7, 1), 12))

    assert jkp(member, date(2025, 7, 16)) == [
        "The dismissal date cannot be in the future."
    ]


def test_jkp_while_employed_is_refused_whatever_the_date(member, employer):
    dismissed_member(member, employer, months(date(2024, 7, 1), 12), end=None)

    assert jkp(member, None) == [
        "Job-loss benefit is for members whose employment has ended."
    ]


@pytest.mark.parametrize(
    ("start", "allowed"),
    [(date(2024, 1, 9), True), (date(2024, 1, 10), False)],
)
def test_jkp_is_for_members_registered_before_54(employer, start, allowed):
    member = born_on(date(1970, 1, 10))  # 54 on 10 January 2024
    Employment.objects.create(
        member=member, employer=employer, start=start, end=date(2025, 6, 30)
    )
    pay(member, employer, months(date(2024, 7, 1), 12))

    problems = jkp(member, date(2025, 6, 30))

    assert problems == (
        []
        if allowed
        else [
            "Job-loss benefit is for members registered before the age of 54; you "
            "were 54 when this employment began."
        ]
    )


def test_a_jkp_claim_starts_only_with_its_dismissal_date(member, employer):
    dismissed_member(member, employer, months(date(2024, 7, 1), 12))

    with pytest.raises(ValidationError) as refused:
        services.claim_start(
            member=member, programme="JKP", reason=R.DISMISSAL, today=date(2025, 7, 15)
        )
    assert refused.value.messages == ["Tell us the date of your dismissal."]

    claim = services.claim_start(
        member=member,
        programme="JKP",
        reason=R.DISMISSAL,
        today=date(2025, 7, 15),
        details={"dismissal_date": "2025-06-30"},
    )
    assert claim.details == {"dismissal_date": "2025-06-30"}


def test_a_jkp_claim_asks_what_the_record_cannot_show(member, employer):
    dismissed_member(member, employer, months(date(2024, 7, 1), 12))
    claim = Claim.objects.create(
        member=member,
        programme="JKP",
        reason=R.DISMISSAL,
        details={"dismissal_date": "2025-06-30"},
    )

    missing = services.claim_missing(
        claim=claim, jht_balance=0, partial_paid=False, uploaded_kinds=set()
    )

    assert "Confirm that you are an Indonesian citizen." in missing
    assert (
        "Confirm that you are enrolled in the national health insurance (JKN)."
        in missing
    )
    claim.details.update(citizen=True, jkn_enrolled=True)
    missing = services.claim_missing(
        claim=claim, jht_balance=0, partial_paid=False, uploaded_kinds=set()
    )
    assert not [item for item in missing if item.startswith("Confirm")]


# --- JHT: leaving Indonesia, NPWP ----------------------------------------------------


def test_leaving_indonesia_needs_no_active_employment_and_no_waiting_month(
    member, employer
):
    pay(member, employer, months(date(2024, 1, 1), 12))
    job = Employment.objects.create(
        member=member, employer=employer, start=date(2020, 1, 6)
    )
    still = ineligibility("JHT", R.LEAVING_INDONESIA, facts(member))
    job.end = date(2025, 7, 14)  # yesterday
    job.save()

    assert still == ["You still have an active employment."]
    assert ineligibility("JHT", R.LEAVING_INDONESIA, facts(member)) == []


def test_leaving_indonesia_asks_for_the_passport_and_the_statement():
    claim = Claim(programme="JHT", reason=R.LEAVING_INDONESIA)

    assert required_documents(claim, 10_000_000, partial_paid=False) == [
        K.PASSPORT,
        K.NO_LONGER_WORKING,
        K.BANK_BOOK,
    ]


@pytest.mark.parametrize(
    ("balance", "partial_paid", "needed"),
    [
        (50_000_000, False, False),
        (50_000_001, False, True),
        (1_000_000, True, True),  # after a paid partial claim, whatever the balance
    ],
)
def test_npwp_over_rp_50_million_or_after_a_partial_claim(
    balance, partial_paid, needed
):
    claim = Claim(programme="JHT", reason=R.RESIGNATION)

    kinds = required_documents(claim, balance, partial_paid=partial_paid)

    assert (K.NPWP in kinds) is needed


def test_a_paid_partial_claim_is_known_to_the_next_claim(member, employer):
    pay(member, employer, months(date(2024, 1, 1), 12))
    Claim.objects.create(
        member=member,
        programme="JHT",
        reason=R.PARTIAL_HOUSING,
        status=S.PAID,
        **decided(S.PAID),
    )
    claim = Claim.objects.create(member=member, programme="JHT", reason=R.AGE)

    missing = services.claim_missing(
        claim=claim,
        jht_balance=1_000_000,
        partial_paid=facts(member).partial_paid,
        uploaded_kinds=set(),
    )

    assert "Your tax number (NPWP): it is needed after a partial JHT payment." in (
        missing
    )
