"""Who may claim what: each rule at its boundaries, on a fixed day.

The facts come from Employment and Contribution rows made here and read by
member_facts, as the claim pages read them.
"""

from datetime import date

import pytest

from claims.eligibility import (
    REASONS,
    MemberFacts,
    ineligibility,
    member_facts,
    pension_age,
    required_documents,
)
from claims.models import Claim, ClaimDocument
from contributions.models import Contribution, Employer, Employment
from tests.factories import MemberFactory, decided, nik_for

pytestmark = pytest.mark.django_db

R = Claim.Reason
K = ClaimDocument.Kind
S = Claim.Status
TODAY = date(2025, 7, 15)
JHT_ENDINGS = [R.RESIGNATION, R.DISMISSAL, R.CONTRACT_END]


@pytest.fixture
def employer(db):
    return Employer.objects.create(npp="NPP00001", name="PT Contoh", province_code="31")


def born_on(born: date, serial: int = 9001):
    """A member born on `born`, with a NIK that matches the birth date."""
    return MemberFactory(
        date_of_birth=born, nik=nik_for(born, female=False, serial=serial)
    )


def employ(member, employer, start: date, end: date | None = None) -> Employment:
    return Employment.objects.create(
        member=member, employer=employer, start=start, end=end
    )


def contribute(member, employer, periods, *, jht=150_000, paid=True, employee=0):
    """One contribution per period (first day of a month), paid or not."""
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=period,
            wage=5_000_000,
            jht_employer=jht,
            jht_employee=employee,
            paid_date=date(period.year, period.month, 10) if paid else None,
        )
        for period in periods
    )


def months(first: date, count: int) -> list[date]:
    """`count` consecutive periods starting with `first`."""
    periods = []
    for n in range(count):
        year, month = divmod(first.year * 12 + first.month - 1 + n, 12)
        periods.append(date(year, month + 1, 1))
    return periods


def problems(member, programme: str, reason: str, today: date = TODAY) -> list[str]:
    return ineligibility(programme, reason, member_facts(member=member, today=today))


@pytest.fixture
def saver(member, employer):
    """A member with a JHT balance from paid contributions in 2024."""
    contribute(member, employer, months(date(2024, 1, 1), 12))
    return member


# --- JHT after employment ends -------------------------------------------------------


@pytest.mark.parametrize("reason", JHT_ENDINGS)
def test_jht_can_be_claimed_exactly_one_month_after_employment_ended(
    saver, employer, reason
):
    employ(saver, employer, date(2020, 1, 6), date(2025, 6, 15))

    assert problems(saver, "JHT", reason) == []


@pytest.mark.parametrize("reason", JHT_ENDINGS)
def test_jht_cannot_be_claimed_a_day_before_the_month_has_passed(
    saver, employer, reason
):
    employ(saver, employer, date(2020, 1, 6), date(2025, 6, 16))

    assert problems(saver, "JHT", reason) == [
        "You can claim one month after your employment ended, on 2025-07-16."
    ]


def test_jht_waiting_month_runs_from_the_latest_employment_end(saver, employer):
    employ(saver, employer, date(2015, 1, 5), date(2019, 12, 31))
    employ(saver, employer, date(2020, 1, 6), date(2025, 6, 20))

    assert problems(saver, "JHT", R.RESIGNATION) == [
        "You can claim one month after your employment ended, on 2025-07-20."
    ]


@pytest.mark.parametrize("end", [None, TODAY, date(2025, 12, 31)])
@pytest.mark.parametrize("reason", JHT_ENDINGS)
def test_jht_cannot_be_claimed_while_still_employed(saver, employer, reason, end):
    employ(saver, employer, date(2020, 1, 6), end)

    assert problems(saver, "JHT", reason) == ["You still have an active employment."]


def test_jht_cannot_be_claimed_with_an_old_ended_job_and_a_current_one(saver, employer):
    employ(saver, employer, date(2015, 1, 5), date(2019, 12, 31))
    employ(saver, employer, date(2020, 1, 6))

    assert problems(saver, "JHT", R.RESIGNATION) == [
        "You still have an active employment."
    ]


@pytest.mark.parametrize("reason", JHT_ENDINGS)
def test_jht_cannot_be_claimed_without_an_ended_employment(saver, reason):
    assert problems(saver, "JHT", reason) == ["No employment has ended on your record."]


# --- JHT at age 56, disability ----------------------------------------------------


def test_jht_age_claim_is_refused_the_day_before_the_56th_birthday(employer):
    member = born_on(date(1969, 7, 16))
    contribute(member, employer, months(date(2024, 1, 1), 3))

    assert problems(member, "JHT", R.AGE) == [
        "You can claim all of your JHT from age 56."
    ]


def test_jht_age_claim_is_allowed_on_the_56th_birthday(employer):
    member = born_on(date(1969, 7, 15))
    contribute(member, employer, months(date(2024, 1, 1), 3))
    employ(member, employer, date(2000, 1, 3))  # still working does not matter

    assert problems(member, "JHT", R.AGE) == []


def test_jht_disability_claim_is_allowed_at_any_age_and_while_employed(saver, employer):
    employ(saver, employer, date(2020, 1, 6))

    assert problems(saver, "JHT", R.DISABILITY) == []


# --- JHT partial (10 % / 30 %) ---------------------------------------------------


PARTIALS = [R.PARTIAL_RETIREMENT, R.PARTIAL_HOUSING]


def long_member(member, employer, first_period: date):
    """Employed since the first contribution period, contributing every year."""
    employ(member, employer, first_period)
    contribute(member, employer, [first_period, date(2024, 1, 1), date(2025, 5, 1)])
    return member


@pytest.mark.parametrize("reason", PARTIALS)
def test_partial_claim_after_exactly_ten_years_of_membership(member, employer, reason):
    long_member(member, employer, date(2015, 7, 1))

    assert problems(member, "JHT", reason) == []
    assert problems(member, "JHT", reason, today=date(2025, 7, 1)) == []


@pytest.mark.parametrize("reason", PARTIALS)
def test_partial_claim_a_month_short_of_ten_years_is_refused(member, employer, reason):
    long_member(member, employer, date(2015, 8, 1))

    assert problems(member, "JHT", reason) == [
        "A partial claim needs at least 10 years of membership."
    ]


def test_partial_claim_the_day_before_the_tenth_anniversary_is_refused(
    member, employer
):
    long_member(member, employer, date(2015, 7, 1))

    assert problems(member, "JHT", R.PARTIAL_HOUSING, today=date(2025, 6, 30)) == [
        "A partial claim needs at least 10 years of membership."
    ]


@pytest.mark.parametrize("reason", PARTIALS)
def test_partial_claim_is_for_members_still_employed(member, employer, reason):
    contribute(member, employer, [date(2015, 7, 1), date(2024, 1, 1)])
    employ(member, employer, date(2015, 7, 1), date(2025, 3, 31))

    assert problems(member, "JHT", reason) == [
        "A partial claim is for members who are still employed."
    ]


def test_partial_claim_without_any_contribution_is_refused(member, employer):
    employ(member, employer, date(2010, 1, 4))

    assert problems(member, "JHT", R.PARTIAL_RETIREMENT) == [
        "A partial claim needs at least 10 years of membership.",
        "Your JHT balance is empty.",
    ]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VERIFYING, S.APPROVED])
@pytest.mark.parametrize("earlier", PARTIALS)
@pytest.mark.parametrize("reason", PARTIALS)
def test_partial_claim_only_once_while_an_earlier_one_stands(
    member, employer, reason, earlier, status
):
    long_member(member, employer, date(2015, 7, 1))
    Claim.objects.create(
        member=member, programme="JHT", reason=earlier, status=status, **decided(status)
    )

    assert problems(member, "JHT", reason) == ["A partial claim can be made only once."]


@pytest.mark.parametrize("reason", PARTIALS)
def test_partial_claim_only_once_after_a_paid_one(member, employer, reason):
    long_member(member, employer, date(2015, 7, 1))
    Claim.objects.create(
        member=member,
        programme="JHT",
        reason=R.PARTIAL_RETIREMENT,
        status=S.PAID,
        **decided(S.PAID),
    )

    assert problems(member, "JHT", reason) == ["A partial claim can be made only once."]


@pytest.mark.parametrize("status", [S.REJECTED, S.CANCELLED])
@pytest.mark.parametrize("reason", PARTIALS)
def test_partial_claim_again_after_a_rejected_or_cancelled_one(
    member, employer, reason, status
):
    long_member(member, employer, date(2015, 7, 1))
    Claim.objects.create(member=member, programme="JHT", reason=reason, status=status)

    assert problems(member, "JHT", reason) == []


@pytest.mark.parametrize("earlier", PARTIALS)
@pytest.mark.parametrize("reason", PARTIALS)
def test_an_open_partial_draft_does_not_use_up_the_partial_claim(
    member, employer, reason, earlier
):
    # A draft is no claim yet; submitting checks again.
    long_member(member, employer, date(2015, 7, 1))
    Claim.objects.create(member=member, programme="JHT", reason=earlier)

    assert problems(member, "JHT", reason) == []


def test_the_claim_being_submitted_does_not_count_against_itself(member, employer):
    long_member(member, employer, date(2015, 7, 1))
    claim = Claim.objects.create(
        member=member, programme="JHT", reason=R.PARTIAL_HOUSING, status=S.NEEDS_INFO
    )

    facts = member_facts(member=member, today=TODAY, excluding=claim.pk)

    assert facts.partial_claims == 0
    assert ineligibility("JHT", R.PARTIAL_HOUSING, facts) == []
    assert problems(member, "JHT", R.PARTIAL_HOUSING) == [
        "A partial claim can be made only once."
    ]


def test_another_members_partial_claim_does_not_count(member, other_member, employer):
    long_member(member, employer, date(2015, 7, 1))
    Claim.objects.create(
        member=other_member,
        programme="JHT",
        reason=R.PARTIAL_HOUSING,
        status=S.PAID,
        **decided(S.PAID),
    )

    assert problems(member, "JHT", R.PARTIAL_HOUSING) == []


def test_a_full_jht_claim_does_not_use_up_the_partial_claim(member, employer):
    long_member(member, employer, date(2015, 7, 1))
    Claim.objects.create(
        member=member,
        programme="JHT",
        reason=R.DISABILITY,
        status=S.PAID,
        **decided(S.PAID),
    )

    assert problems(member, "JHT", R.PARTIAL_RETIREMENT) == []


# --- JHT balance ------------------------------------------------------------------


@pytest.mark.parametrize("reason", [*JHT_ENDINGS, R.AGE, R.DISABILITY])
def test_jht_cannot_be_claimed_with_an_empty_balance(employer, reason):
    member = born_on(date(1960, 1, 1))
    employ(member, employer, date(2020, 1, 6), date(2025, 5, 31))
    contribute(member, employer, months(date(2024, 1, 1), 12), paid=False)

    assert problems(member, "JHT", reason) == ["Your JHT balance is empty."]


# --- NPWP above Rp 50 jt -------------------------------------------------------------


def claim_of(programme: str, reason: str) -> Claim:
    return Claim(programme=programme, reason=reason)


@pytest.mark.parametrize(
    ("balance", "needs_npwp"),
    [(1, False), (49_999_999, False), (50_000_000, False), (50_000_001, True)],
)
def test_npwp_is_required_only_above_rp_50_million(
    member, employer, balance, needs_npwp
):
    # A December contribution earns no development return in its own year, so
    # the balance is exactly what was paid, employer and employee share together.
    contribute(member, employer, [date(2025, 12, 1)], jht=balance - 1, employee=1)
    facts = member_facts(member=member, today=date(2025, 12, 20))

    assert facts.jht_balance == balance
    kinds = required_documents(
        claim_of("JHT", R.RESIGNATION), facts.jht_balance, partial_paid=False
    )
    assert (K.NPWP in kinds) is needs_npwp


def test_unpaid_contributions_do_not_count_towards_the_npwp_threshold(member, employer):
    contribute(member, employer, [date(2025, 11, 1)], jht=60_000_000, paid=False)
    contribute(member, employer, [date(2025, 12, 1)], jht=1_000_000)
    facts = member_facts(member=member, today=date(2025, 12, 20))

    assert facts.jht_balance == 1_000_000
    assert K.NPWP not in required_documents(
        claim_of("JHT", R.RESIGNATION), facts.jht_balance, partial_paid=False
    )


def test_npwp_threshold_is_a_setting(member, employer, settings):
    settings.CLAIM_NPWP_THRESHOLD = 999_999
    contribute(member, employer, [date(2025, 12, 1)], jht=1_000_000)
    facts = member_facts(member=member, today=date(2025, 12, 20))

    assert K.NPWP in required_documents(
        claim_of("JHT", R.DISABILITY), facts.jht_balance, partial_paid=False
    )


@pytest.mark.parametrize(
    ("programme", "reason"),
    [("JP", R.AGE), ("JKP", R.DISMISSAL), ("JKK", R.ACCIDENT)],
)
def test_npwp_is_not_asked_for_other_programmes(member, employer, programme, reason):
    contribute(member, employer, [date(2025, 12, 1)], jht=80_000_000)
    facts = member_facts(member=member, today=date(2025, 12, 20))

    assert K.NPWP not in required_documents(
        claim_of(programme, reason), facts.jht_balance, partial_paid=False
    )


# --- JP: pension age and monthly pension -----------------------------------------


@pytest.mark.parametrize(
    ("year", "age"),
    [
        (2015, 56),
        (2018, 56),
        (2019, 57),
        (2021, 57),
        (2022, 58),
        (2024, 58),
        (2025, 59),
        (2027, 59),
        (2028, 60),
        (2040, 64),
        (2042, 64),
        (2043, 65),
        (2044, 65),
        (2070, 65),
    ],
)
def test_pension_age_by_year(year, age):
    assert pension_age(year) == age


def test_jp_old_age_claim_is_refused_the_day_before_the_pension_age(db):
    member = born_on(date(1966, 7, 16))  # 58 on 15 July 2025; pension age 59

    assert problems(member, "JP", R.AGE) == ["The pension age in 2025 is 59."]


def test_jp_old_age_claim_is_allowed_on_the_birthday_of_the_pension_age(db):
    member = born_on(date(1966, 7, 15))

    assert problems(member, "JP", R.AGE) == []


def test_jp_pension_age_is_that_of_the_claim_year(db):
    member = born_on(date(1966, 7, 15))  # 58 in 2024, when the age is 58

    assert problems(member, "JP", R.AGE, today=date(2024, 7, 15)) == []
    assert problems(member, "JP", R.AGE, today=date(2025, 7, 14)) == [
        "The pension age in 2025 is 59."
    ]


def test_jp_disability_claim_has_no_age_condition(member):
    assert problems(member, "JP", R.DISABILITY) == []


# JP months and JKP: tests/claims/test_eligibility_golden.py


# --- JKK, reasons that do not apply ---------------------------------------------------


def test_jkk_accident_claim_has_no_condition(member):
    assert problems(member, "JKK", R.ACCIDENT) == []


@pytest.mark.parametrize(
    ("programme", "reason"),
    [("JKK", R.RESIGNATION), ("JP", R.PARTIAL_HOUSING), ("JKP", R.RESIGNATION)],
)
def test_a_reason_of_another_programme_is_refused(member, programme, reason):
    assert problems(member, programme, reason) == [
        "This reason does not apply to this programme."
    ]


def test_jkm_is_not_claimed_by_the_member(member):
    assert "JKM" not in REASONS
    assert problems(member, "JKM", R.AGE) == [
        "This reason does not apply to this programme."
    ]


# --- Required documents --------------------------------------------------------------


FACTS = MemberFacts(
    today=TODAY,
    age=40,
    employments=[(date(2010, 1, 4), None)],
    first_period=date(2010, 1, 1),
    paid_periods={date(2024, 1, 1)},
    jht_balance=10_000_000,
    partial_claims=0,
)
BASE = {K.ID_CARD, K.FAMILY_CARD, K.BANK_BOOK}


@pytest.mark.parametrize(
    ("programme", "reason", "expected"),
    [
        ("JHT", R.RESIGNATION, BASE | {K.TERMINATION_LETTER}),
        ("JHT", R.DISMISSAL, BASE | {K.TERMINATION_LETTER}),
        ("JHT", R.CONTRACT_END, BASE | {K.TERMINATION_LETTER}),
        ("JHT", R.LEAVING_INDONESIA, {K.PASSPORT, K.NO_LONGER_WORKING, K.BANK_BOOK}),
        ("JHT", R.AGE, BASE),
        ("JHT", R.DISABILITY, BASE | {K.DOCTOR_CERTIFICATE}),
        ("JHT", R.PARTIAL_RETIREMENT, BASE),
        ("JHT", R.PARTIAL_HOUSING, BASE | {K.HOUSING_AGREEMENT}),
        ("JP", R.AGE, BASE),
        ("JP", R.DISABILITY, BASE | {K.DOCTOR_CERTIFICATE}),
        ("JKP", R.DISMISSAL, BASE | {K.TERMINATION_LETTER}),
        (
            "JKK",
            R.ACCIDENT,
            {
                K.ID_CARD,
                K.ACCIDENT_REPORT,
                K.DOCTOR_CERTIFICATE,
                K.CHRONOLOGY,
                K.BANK_BOOK,
            },
        ),
    ],
)
def test_required_documents_per_claim_type(programme, reason, expected):
    kinds = required_documents(
        claim_of(programme, reason), FACTS.jht_balance, partial_paid=False
    )

    assert set(kinds) == expected
    assert len(kinds) == len(set(kinds))


def test_every_offered_reason_has_its_documents_defined():
    for programme, reasons in REASONS.items():
        for reason in reasons:
            kinds = required_documents(
                claim_of(programme, reason), FACTS.jht_balance, partial_paid=False
            )
            assert K.ID_CARD in kinds or K.PASSPORT in kinds
            assert K.BANK_BOOK in kinds
