"""Checks that protect the member: every month there, right and paid on time.

find_problems is pure: rows are dicts shaped like the `.values()` it documents,
the figures are those of the migrations as unsaved objects (holidays only where
a test names them), today is fixed. The golden cases from the regulations, with
literal rupiah, are in test_golden_cases.py.
"""

from datetime import date

import pytest
from django.utils import translation

from contributions.checks import Finding, WageFloors, find_problems, next_month
from contributions.models import Contribution
from tests.contributions.statutory import payment_calendar, rate_book

RATES = rate_book()
CALENDAR = payment_calendar()

TODAY = date(2024, 12, 20)
# (employer_id, name, JKK risk class, industry, province code, regency code)
DIGITAL = (1, "PT Nusantara Digital", 1, "other", "31", "3174")
TANI = (2, "PT Bumi Tani Sejahtera", 3, "food", "33", "3374")
JAKARTA_MINIMUMS = WageFloors([("31", "", "DKI Jakarta", 2024, 5_067_381)])
ON_TIME = object()


def row(period, *, employer=DIGITAL, wage=6_000_000, paid_date=ON_TIME, **amounts):
    """One report; amounts are the statutory ones unless given."""
    employer_id, name, risk_class, industry, province, regency = employer
    expected = RATES.expected(
        wage=wage, period=period, risk_class=risk_class, industry=industry
    )
    return {
        "employer_id": employer_id,
        "employer__name": name,
        "employer__risk_class": risk_class,
        "employer__industry": industry,
        "employer__province_code": province,
        "employer__regency_code": regency,
        "period": period,
        "wage": wage,
        "paid_date": next_month(period).replace(day=10)
        if paid_date is ON_TIME
        else paid_date,
        **expected.amounts(),
        **amounts,
    }


def employment(employer, start, end=None):
    employer_id, name, _risk, industry, _province, _regency = employer
    return (employer_id, name, industry, start, end)


def months(first, last):
    period, result = first, []
    while period <= last:
        result.append(period)
        period = next_month(period)
    return result


def find(rows=(), employments=(), *, today=TODAY):
    """The warnings for these rows and employments."""
    return find_problems(
        rows=list(rows),
        employments=list(employments),
        rates=RATES,
        calendar=CALENDAR,
        wage_floors=JAKARTA_MINIMUMS,
        today=today,
    ).warnings


def summary(warnings):
    """(finding, employer, first, last, months) per warning, oldest first."""
    return sorted(
        ((w.finding, w.employer_name, w.first, w.last, w.months) for w in warnings),
        key=lambda item: (item[0], item[1], item[2]),
    )


def test_statutory_amounts_of_the_row_helper_are_the_hand_computed_ones():
    # 6,000,000 in June 2024, very low risk: the figures every other test relies on.
    amounts = {f: row(date(2024, 6, 1))[f] for f in Contribution.AMOUNT_FIELDS}

    assert amounts == {
        "jht_employer": 222_000,
        "jht_employee": 120_000,
        "jp_employer": 120_000,
        "jp_employee": 60_000,
        "jkk": 14_400,
        "jkm": 18_000,
    }


def test_a_complete_history_paid_on_time_gives_no_warnings():
    rows = [row(period) for period in months(date(2023, 1, 1), date(2024, 11, 1))]

    assert find(rows, [employment(DIGITAL, date(2023, 1, 1))]) == []


# --- arrears -----------------------------------------------------------------


def test_months_without_a_contribution_inside_an_employment_are_arrears():
    paid = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 5, 1), date(2024, 6, 1)]

    warnings = find(
        [row(period) for period in paid],
        [employment(DIGITAL, date(2024, 1, 1), date(2024, 6, 30))],
    )

    assert summary(warnings) == [
        (Finding.ARREARS, DIGITAL[1], date(2024, 3, 1), date(2024, 4, 1), 2)
    ]


@pytest.mark.parametrize(
    ("today", "last_in_arrears", "count"),
    [
        (date(2024, 11, 15), date(2024, 10, 1), None),  # October due today
        (date(2024, 11, 16), date(2024, 10, 1), 1),
        # 15 December 2024 is a Sunday: November is due on Monday the 16th.
        (date(2024, 12, 16), date(2024, 10, 1), 1),
        (date(2024, 12, 17), date(2024, 11, 1), 2),
    ],
    ids=str,
)
def test_a_missing_month_is_arrears_only_after_its_due_date(
    today, last_in_arrears, count
):
    warnings = find([], [employment(DIGITAL, date(2024, 10, 1))], today=today)

    if count is None:
        assert warnings == []
    else:
        assert summary(warnings) == [
            (Finding.ARREARS, DIGITAL[1], date(2024, 10, 1), last_in_arrears, count)
        ]


def test_an_open_ended_employment_runs_to_today():
    warnings = find(
        [], [employment(DIGITAL, date(2024, 10, 15))], today=date(2025, 3, 20)
    )

    # October 2024 (started mid-month) to February 2025, due on Monday 17 March
    # (the 15th is a Saturday).
    assert summary(warnings) == [
        (Finding.ARREARS, DIGITAL[1], date(2024, 10, 1), date(2025, 2, 1), 5)
    ]


def test_an_ended_employment_owes_its_last_month_and_nothing_after():
    warnings = find([], [employment(DIGITAL, date(2024, 1, 10), date(2024, 3, 5))])

    assert summary(warnings) == [
        (Finding.ARREARS, DIGITAL[1], date(2024, 1, 1), date(2024, 3, 1), 3)
    ]


def test_months_outside_every_employment_are_not_arrears():
    first = months(date(2024, 1, 1), date(2024, 3, 1))
    second = months(date(2024, 6, 1), date(2024, 8, 1))

    warnings = find(
        [row(p) for p in first] + [row(p, employer=TANI) for p in second],
        [
            employment(DIGITAL, date(2024, 1, 1), date(2024, 3, 31)),
            employment(TANI, date(2024, 6, 1), date(2024, 8, 31)),
        ],
    )

    assert warnings == []


def test_another_employers_contribution_does_not_cover_a_missing_month():
    warnings = find(
        [row(date(2024, 1, 1)), row(date(2024, 2, 1), employer=TANI)],
        [employment(DIGITAL, date(2024, 1, 1), date(2024, 2, 29))],
    )

    assert summary(warnings) == [
        (Finding.ARREARS, DIGITAL[1], date(2024, 2, 1), date(2024, 2, 1), 1)
    ]


# --- unpaid and late ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "flagged"),
    [(date(2024, 11, 15), False), (date(2024, 11, 16), True)],
    ids=["on-the-due-date", "after-the-due-date"],
)
def test_a_month_reported_but_not_paid_is_unpaid_once_past_its_due_date(today, flagged):
    warnings = find(
        [row(date(2024, 10, 1), paid_date=None)],
        [employment(DIGITAL, date(2024, 10, 1), date(2024, 10, 31))],
        today=today,
    )

    expected = [(Finding.UNPAID, DIGITAL[1], date(2024, 10, 1), date(2024, 10, 1), 1)]
    assert summary(warnings) == (expected if flagged else [])


@pytest.mark.parametrize(
    ("period", "paid_date", "late"),
    [
        (date(2024, 1, 1), date(2024, 2, 15), False),
        (date(2024, 1, 1), date(2024, 2, 16), True),
        (date(2024, 1, 1), date(2024, 1, 31), False),
        (date(2023, 12, 1), date(2024, 1, 15), False),
        (date(2023, 12, 1), date(2024, 1, 16), True),
        (date(2023, 12, 1), date(2024, 11, 30), True),
    ],
    ids=str,
)
def test_paid_after_the_15th_of_the_next_month_is_late(period, paid_date, late):
    warnings = find([row(period, paid_date=paid_date)])

    assert summary(warnings) == (
        [(Finding.LATE, DIGITAL[1], period, period, 1)] if late else []
    )


# --- amounts -----------------------------------------------------------------


@pytest.mark.parametrize("field", Contribution.AMOUNT_FIELDS)
@pytest.mark.parametrize("delta", [2, -2, 1_000])
def test_an_amount_off_by_more_than_one_rupiah_is_a_mismatch(field, delta):
    period = date(2024, 6, 1)
    statutory = row(period)[field]

    warnings = find([row(period, **{field: statutory + delta})])

    assert summary(warnings) == [(Finding.MISMATCH, DIGITAL[1], period, period, 1)]


@pytest.mark.parametrize("field", Contribution.AMOUNT_FIELDS)
@pytest.mark.parametrize("delta", [1, -1])
def test_an_amount_off_by_exactly_one_rupiah_is_rounding(field, delta):
    period = date(2024, 6, 1)
    statutory = row(period)[field]

    assert find([row(period, **{field: statutory + delta})]) == []


def test_amounts_are_checked_against_the_employers_risk_class():
    period = date(2024, 6, 1)
    # PT Bumi Tani is class 3 (0.89 %): 53,400, not the 14,400 of class 1.
    assert find([row(period, employer=TANI, jkk=53_400)]) == []
    assert summary(find([row(period, employer=TANI, jkk=14_400)])) == [
        (Finding.MISMATCH, TANI[1], period, period, 1)
    ]


def test_a_report_without_jkp_is_lawful_before_and_after_jkp_began():
    # Employers pay nothing for JKP (PP 37/2021 art. 11, PP 6/2025).
    periods = months(date(2021, 1, 1), date(2025, 3, 1))

    assert find([row(p) for p in periods], today=date(2025, 4, 20)) == []


# --- JP above the cap --------------------------------------------------------


def test_jp_computed_on_a_wage_above_the_cap_is_reported_as_such_not_as_mismatch():
    # June 2024 cap 10,042,300; 2 % and 1 % of the full 15,000,000 instead.
    period = date(2024, 6, 1)

    warnings = find(
        [row(period, wage=15_000_000, jp_employer=300_000, jp_employee=150_000)]
    )

    assert summary(warnings) == [(Finding.JP_ABOVE_CAP, DIGITAL[1], period, period, 1)]


def test_jp_correctly_capped_on_a_high_wage_gives_no_warning():
    period = date(2024, 6, 1)

    warnings = find(
        [row(period, wage=15_000_000, jp_employer=200_846, jp_employee=100_423)]
    )

    assert warnings == []


def test_jp_above_the_cap_does_not_hide_another_wrong_amount():
    period = date(2024, 6, 1)
    reported = row(
        period,
        wage=15_000_000,
        jp_employer=300_000,
        jp_employee=150_000,
        jht_employee=250_000,  # 2 % of 15,000,000 is 300,000
    )

    assert summary(find([reported])) == [
        (Finding.JP_ABOVE_CAP, DIGITAL[1], period, period, 1),
        (Finding.MISMATCH, DIGITAL[1], period, period, 1),
    ]


def test_jp_too_high_on_a_wage_below_the_cap_is_a_mismatch():
    period = date(2024, 6, 1)

    warnings = find([row(period, jp_employer=150_000)])

    assert summary(warnings) == [(Finding.MISMATCH, DIGITAL[1], period, period, 1)]


# --- minimum wage ------------------------------------------------------------


def test_a_wage_below_the_provinces_minimum_for_the_year_is_flagged():
    period = date(2024, 9, 1)

    warnings = find([row(period, wage=4_800_000)])

    assert summary(warnings) == [(Finding.BELOW_MINIMUM, DIGITAL[1], period, period, 1)]
    floor = warnings[0].wage_floor
    assert (floor.level, floor.region, floor.year, floor.amount) == (
        "UMP",
        "DKI Jakarta",
        2024,
        5_067_381,
    )


def test_a_wage_at_the_minimum_is_not_flagged():
    assert find([row(date(2024, 9, 1), wage=5_067_381)]) == []


@pytest.mark.parametrize(
    ("employer", "period"),
    [(TANI, date(2024, 9, 1)), (DIGITAL, date(2023, 9, 1))],
    ids=["other-province", "other-year"],
)
def test_no_known_minimum_gives_no_warning(employer, period):
    assert find([row(period, employer=employer, wage=1_000_000)]) == []


# --- grouping and order ------------------------------------------------------


def test_consecutive_months_of_one_finding_become_one_warning_across_a_year_end():
    late = months(date(2023, 11, 1), date(2024, 2, 1))

    warnings = find([row(p, paid_date=date(2024, 6, 1)) for p in late])

    assert len(warnings) == 1
    warning = warnings[0]
    assert (warning.finding, warning.employer_name) == (Finding.LATE, DIGITAL[1])
    assert (warning.first, warning.last, warning.months) == (
        date(2023, 11, 1),
        date(2024, 2, 1),
        4,
    )
    with translation.override("en"):
        assert warning.label == "Paid late"


def test_a_gap_starts_a_new_warning():
    late = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), date(2024, 5, 1)]
    on_time = [date(2024, 4, 1)]

    warnings = find(
        [row(p, paid_date=date(2024, 8, 1)) for p in late] + [row(p) for p in on_time]
    )

    assert summary(warnings) == [
        (Finding.LATE, DIGITAL[1], date(2024, 1, 1), date(2024, 3, 1), 3),
        (Finding.LATE, DIGITAL[1], date(2024, 5, 1), date(2024, 5, 1), 1),
    ]


def test_the_same_finding_at_two_employers_gives_two_warnings():
    periods = months(date(2024, 1, 1), date(2024, 2, 1))

    warnings = find(
        [row(p, paid_date=date(2024, 8, 1)) for p in periods]
        + [row(p, employer=TANI, paid_date=date(2024, 8, 1)) for p in periods]
    )

    assert summary(warnings) == [
        (Finding.LATE, TANI[1], date(2024, 1, 1), date(2024, 2, 1), 2),
        (Finding.LATE, DIGITAL[1], date(2024, 1, 1), date(2024, 2, 1), 2),
    ]


def test_warnings_follow_the_order_of_the_finding_enum():
    rows = [  # one of each problem, in no particular order
        row(date(2024, 1, 1), wage=4_800_000),  # below minimum
        row(date(2024, 6, 1), paid_date=None),  # unpaid
        row(  # JP on the full wage above the cap
            date(2024, 5, 1), wage=15_000_000, jp_employer=300_000, jp_employee=150_000
        ),
        row(date(2024, 2, 1), paid_date=date(2024, 4, 1)),  # late
        row(date(2024, 4, 1), jkm=0),  # mismatch
        # March 2024 is missing: arrears
    ]

    warnings = find(rows, [employment(DIGITAL, date(2024, 1, 1), date(2024, 6, 30))])

    assert [w.finding for w in warnings] == list(Finding.values)
    assert [w.first for w in warnings] == [
        date(2024, 3, 1),
        date(2024, 6, 1),
        date(2024, 2, 1),
        date(2024, 4, 1),
        date(2024, 5, 1),
        date(2024, 1, 1),
    ]
    assert [w.label for w in warnings] == [str(f.label) for f in Finding]
