"""Golden cases from the regulations, judged with the figures the migrations load.

Every expected figure here is a literal worked out by hand from the regulation
named beside it (the arithmetic is in the comments), never by the product's
rate code. Rows are literal too: what an employer's HR department would report.
"""

from datetime import date

import pytest

from contributions.checks import Finding, WageFloors, find_problems
from contributions.due_dates import PaymentCalendar
from contributions.rates import RateBook

pytestmark = pytest.mark.usefixtures("statutory_figures")

WAGE = 12_000_000
# (employer id, name, JKK risk class, industry, province, regency or city)
OFFICE = (1, "PT Kantor Patuh", 1, "other", "32", "3275")  # Kota Bekasi
JAKARTA = (2, "PT Jakarta Patuh", 1, "other", "31", "3174")  # no UMK: UMP
FACTORY = (3, "PT Roti Padat Karya", 1, "food", "32", "3275")  # PP 7/2025 industry
WEST_JAVA = (4, "PT Tanpa Kota", 1, "other", "32", "")  # regency unknown

# JP for a wage of Rp 12,000,000 in each cap year (March to February): 2 % and
# 1 % of the cap, which the wage exceeds (PP 45/2015 art. 28–29).
JP_12M = {
    2018: (161_880, 80_940),  # cap 8,094,000
    2019: (170_248, 85_124),  # cap 8,512,400
    2020: (178_794, 89_397),  # cap 8,939,700
    2021: (175_092, 87_546),  # cap 8,754,600: it fell
    2022: (181_552, 90_776),  # cap 9,077,600
    2023: (191_192, 95_596),  # cap 9,559,600
    2024: (200_846, 100_423),  # cap 10,042,300
    2025: (210_948, 105_474),  # cap 10,547,400
    2026: (221_726, 110_863),  # cap 11,086,300
}
# JHT 3.7 % + 2 % (PP 46/2015 art. 16); JKK 0.24 % very low risk and JKM 0.30 %
# (PP 44/2015 art. 16, 18): of Rp 12,000,000.
JHT_12M = (444_000, 240_000)
JKK_12M, JKM_12M = 28_800, 36_000


def months(first: date, last: date) -> list[date]:
    result, period = [], first
    while period <= last:
        result.append(period)
        period = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return result


def report(period, *, employer=OFFICE, wage=WAGE, paid=None, **amounts) -> dict:
    """A month of Rp 12,000,000 as a careful employer reports it: the full
    statutory amounts, paid on the 10th of the next month."""
    employer_id, name, risk, industry, province, regency = employer
    jp_year = period.year if period.month >= 3 else period.year - 1
    jp_employer, jp_employee = JP_12M.get(jp_year, (0, 0))  # 2027: given by the test
    if paid is None:
        paid = date(period.year + period.month // 12, period.month % 12 + 1, 10)
    return {
        "employer_id": employer_id,
        "employer__name": name,
        "employer__risk_class": risk,
        "employer__industry": industry,
        "employer__province_code": province,
        "employer__regency_code": regency,
        "period": period,
        "wage": wage,
        "jht_employer": JHT_12M[0],
        "jht_employee": JHT_12M[1],
        "jp_employer": jp_employer,
        "jp_employee": jp_employee,
        "jkk": JKK_12M,
        "jkm": JKM_12M,
        "paid_date": paid,
        **amounts,
    }


def checks(rows, *, today, employments=(), floors=()):
    return find_problems(
        rows=rows,
        employments=list(employments),
        rates=RateBook.load(),
        calendar=PaymentCalendar.load(),
        wage_floors=WageFloors(floors),
        today=today,
    )


def found(result) -> list[tuple]:
    return [(w.finding, w.first, w.last) for w in result.warnings]


# --- the HR department's report ------------------------------------------------


def test_a_lawful_report_from_2019_to_october_2026_raises_no_warning():
    """Wage Rp 12 jt, very low risk, January 2019 – October 2026, paid on the
    10th, no JKP: the report that the old rules flagged in 80 of 94 months."""
    periods = months(date(2019, 1, 1), date(2026, 10, 1))
    employment = (OFFICE[0], OFFICE[1], "other", date(2019, 1, 1), None)

    result = checks(
        [report(p) for p in periods], employments=[employment], today=date(2026, 12, 6)
    )

    assert len(periods) == 94
    assert result.warnings == []
    assert result.unknown_cap_years == []


def test_the_same_report_with_the_covid_relief_taken_raises_no_warning():
    # PP 49/2020 art. 8–9: JKK and JKM cut by 99 % for August 2020 – January 2021:
    # 1 % of 28,800 = 288 and 1 % of 36,000 = 360, due by the 30th of the next
    # month (art. 4): paid on the 25th.
    relief = months(date(2020, 8, 1), date(2021, 1, 1))
    rows = [
        report(
            p,
            jkk=288,
            jkm=360,
            paid=date(p.year + p.month // 12, p.month % 12 + 1, 25),
        )
        for p in relief
    ]

    assert checks(rows, today=date(2021, 6, 1)).warnings == []


@pytest.mark.parametrize(
    "period", [date(2020, 7, 1), date(2021, 2, 1)], ids=["before", "after"]
)
def test_the_covid_relief_figures_outside_its_months_are_wrong(period):
    result = checks([report(period, jkk=288, jkm=360)], today=date(2021, 6, 1))

    assert found(result) == [(Finding.MISMATCH, period, period)]


# --- JP caps -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "cap"),
    [
        (date(2015, 6, 1), None),  # JP began on 1 July 2015
        (date(2015, 7, 1), 7_000_000),  # PP 45/2015 art. 29(2)
        (date(2016, 2, 1), 7_000_000),
        (date(2016, 3, 1), 7_335_300),
        (date(2020, 2, 1), 8_512_400),
        (date(2020, 3, 1), 8_939_700),
        (date(2021, 2, 1), 8_939_700),
        (date(2021, 3, 1), 8_754_600),  # lower: 2020 GDP fell 2.07 %
        (date(2022, 3, 1), 9_077_600),  # BPJS letter B/77/022023
        (date(2023, 3, 1), 9_559_600),
        (date(2024, 3, 1), 10_042_300),  # B/1387/022024
        (date(2025, 3, 1), 10_547_400),  # B/726/022025
        (date(2026, 2, 1), 10_547_400),
        (date(2026, 3, 1), 11_086_300),  # B/1226/022026
        (date(2027, 2, 1), 11_086_300),
        (date(2027, 3, 1), None),  # not in the table: unknown, never guessed
    ],
    ids=str,
)
def test_jp_cap_of_each_month(period, cap):
    assert RateBook.load().jp_cap(period) == cap


def test_the_2020_and_2021_caps_are_not_swapped():
    march_2020 = report(date(2020, 3, 1))  # 178,794 + 89,397
    march_2021 = report(date(2021, 3, 1))  # 175,092 + 87,546

    assert checks([march_2020, march_2021], today=date(2021, 6, 1)).warnings == []


def test_jp_on_the_2025_cap_in_march_2026_is_above_the_2026_cap_no_longer():
    # From March 2026 the cap is 11,086,300: the 2025 amounts are now too low.
    low = report(date(2026, 3, 1), jp_employer=210_948, jp_employee=105_474)

    assert found(checks([low], today=date(2026, 6, 1))) == [
        (Finding.MISMATCH, date(2026, 3, 1), date(2026, 3, 1))
    ]


def test_a_month_whose_cap_is_unknown_is_not_judged_but_named():
    # March 2027: no 2027 cap yet. JP on the whole wage is not flagged.
    row = report(
        date(2027, 3, 1),
        jp_employer=240_000,
        jp_employee=120_000,
        paid=date(2027, 4, 9),
    )
    row_2026 = report(date(2027, 2, 1), paid=date(2027, 3, 10))

    result = checks([row_2026, row], today=date(2027, 5, 1))

    assert result.warnings == []
    assert result.unknown_cap_years == [2027]


def test_jp_on_the_full_wage_is_above_the_cap():
    # 2 % and 1 % of 12,000,000 instead of the capped 200,846 and 100,423.
    row = report(date(2024, 6, 1), jp_employer=240_000, jp_employee=120_000)

    assert found(checks([row], today=date(2024, 12, 1))) == [
        (Finding.JP_ABOVE_CAP, date(2024, 6, 1), date(2024, 6, 1))
    ]


# --- due dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "due"),
    [
        (date(2024, 1, 1), date(2024, 2, 15)),  # a Thursday: the 15th itself
        (date(2024, 11, 1), date(2024, 12, 16)),  # 15 Dec 2024 is a Sunday
        (date(2021, 4, 1), date(2021, 5, 17)),  # 15 May 2021 is a Saturday
        # 15 June 2018: Idul Fitri; 16th its second day; 17th Sunday; 18–20
        # collective leave (cuti bersama).
        (date(2018, 5, 1), date(2018, 6, 21)),
        (date(2024, 3, 1), date(2024, 4, 16)),  # 15 April 2024: cuti bersama
        # 15–16 June 2024 weekend, 17th Idul Adha, 18th cuti bersama.
        (date(2024, 5, 1), date(2024, 6, 19)),
        # PP 49/2020 art. 4: the 30th, or the working day before it.
        (date(2020, 8, 1), date(2020, 9, 30)),
        # 30 Oct 2020 cuti bersama, 29th Maulid, 28th cuti bersama.
        (date(2020, 9, 1), date(2020, 10, 27)),
        (date(2020, 12, 1), date(2021, 1, 29)),  # 30 Jan 2021 is a Saturday
        # February 2021 has no 30th: its last day, Sunday 28th, then back to Friday.
        (date(2021, 1, 1), date(2021, 2, 26)),
        (date(2021, 2, 1), date(2021, 3, 15)),  # the relief is over
    ],
    ids=str,
)
def test_due_date_of_each_month(period, due):
    assert PaymentCalendar.load().due_date(period) == due


@pytest.mark.parametrize(
    ("period", "due"),
    [
        (date(2024, 11, 1), date(2024, 12, 16)),
        (date(2018, 5, 1), date(2018, 6, 21)),
        (date(2020, 9, 1), date(2020, 10, 27)),
    ],
    ids=str,
)
def test_paid_on_the_moved_due_date_is_on_time_and_a_day_later_is_late(period, due):
    on_time = checks([report(period, paid=due)], today=date(2025, 1, 31))
    late = checks(
        [report(period, paid=date.fromordinal(due.toordinal() + 1))],
        today=date(2025, 1, 31),
    )

    assert on_time.warnings == []
    assert found(late) == [(Finding.LATE, period, period)]


# --- late fines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("paid", "fine"),
    [
        # January 2024 total: 444,000 + 240,000 + 191,192 + 95,596 + 28,800
        # + 36,000 = 1,035,588; due 15 February; 2 % for each month or part of
        # a month late (PP 44/2015).
        (date(2024, 2, 16), 20_712),  # 1 month: 20,711.76
        (date(2024, 3, 15), 20_712),  # still 1 month
        (date(2024, 3, 16), 41_424),  # 2 months: 41,423.52
    ],
    ids=str,
)
def test_the_late_fine_is_two_percent_a_month_of_the_months_contributions(paid, fine):
    result = checks([report(date(2024, 1, 1), paid=paid)], today=date(2024, 6, 1))

    assert result.warnings[0].fine == fine


def test_the_late_fine_in_the_covid_relief_is_half_a_percent():
    # August 2020, full amounts: 444,000 + 240,000 + 178,794 + 89,397 + 28,800
    # + 36,000 = 1,016,991, due 30 September; 0.5 % (PP 49/2020 art. 23) for 1
    # month = 5,084.955.
    result = checks(
        [report(date(2020, 8, 1), paid=date(2020, 10, 1))], today=date(2021, 1, 1)
    )

    assert result.warnings[0].fine == 5_085


def test_a_late_run_adds_up_the_fines_of_its_months():
    # January and February 2024, both paid 16 March 2024:
    # January: due 15 Feb, 2 months, 4 % of 1,035,588 = 41,423.52 -> 41,424;
    # February: due 15 Mar, 1 month, 2 % of 1,035,588 = 20,711.76 -> 20,712.
    rows = [
        report(date(2024, 1, 1), paid=date(2024, 3, 16)),
        report(date(2024, 2, 1), paid=date(2024, 3, 16)),
    ]

    [late] = checks(rows, today=date(2024, 6, 1)).warnings

    assert (late.months, late.fine) == (2, 62_136)


# --- labour-intensive industries (PP 7/2025, PP 36/2025) -------------------------


@pytest.mark.parametrize(
    ("employer", "period", "flagged"),
    [
        (FACTORY, date(2025, 1, 1), True),  # before the relief
        (FACTORY, date(2025, 2, 1), False),
        (FACTORY, date(2025, 7, 1), False),  # last month of PP 7/2025
        (FACTORY, date(2025, 8, 1), False),  # PP 36/2025 extends it
        (FACTORY, date(2026, 1, 1), False),
        (FACTORY, date(2026, 2, 1), True),  # over
        (OFFICE, date(2025, 2, 1), True),  # not one of the six industries
    ],
    ids=lambda value: str(value) if isinstance(value, date | bool) else value[1],
)
def test_half_jkk_is_lawful_only_for_the_six_industries_in_their_months(
    employer, period, flagged
):
    # JKK cut by 50 %: 0.12 % of 12,000,000 = 14,400.
    result = checks(
        [report(period, employer=employer, jkk=14_400)], today=date(2026, 6, 1)
    )

    assert found(result) == ([(Finding.MISMATCH, period, period)] if flagged else [])


def test_the_industry_relief_keeps_the_usual_due_date_and_fine():
    # February 2025, JKK halved: 444,000 + 240,000 + 200,846 + 100,423 + 14,400
    # + 36,000 = 1,035,669; due Monday 17 March (the 15th is a Saturday);
    # paid the 18th: 2 % = 20,713.38.
    row = report(date(2025, 2, 1), employer=FACTORY, jkk=14_400, paid=date(2025, 3, 18))

    [late] = checks([row], today=date(2025, 6, 1)).warnings

    assert (late.finding, late.fine) == (Finding.LATE, 20_713)


# --- the deferred JP of PP 49/2020 art. 17 ----------------------------------------


def test_paying_one_percent_of_jp_was_lawful_until_the_deferral_ended():
    # August 2020: JP 178,794 + 89,397 = 268,191; 1 % of it = 2,681.91 -> 2,682,
    # reported as 1,788 + 894. The other 99 % was due by 15 April 2022.
    row = report(date(2020, 8, 1), jp_employer=1_788, jp_employee=894)

    assert checks([row], today=date(2022, 4, 15)).warnings == []
    assert found(checks([row], today=date(2022, 4, 16))) == [
        (Finding.MISMATCH, date(2020, 8, 1), date(2020, 8, 1))
    ]


# --- the wage floor ------------------------------------------------------------

FLOORS = [
    ("31", "", "DKI Jakarta", 2024, 5_067_381),
    ("32", "", "Jawa Barat", 2024, 2_057_495),
    ("32", "3275", "Kota Bekasi", 2024, 5_343_430),
]


@pytest.mark.parametrize(
    ("employer", "wage", "floor"),
    [
        (OFFICE, 5_343_429, ("UMK", "Kota Bekasi", 5_343_430)),
        (OFFICE, 5_343_430, None),
        (JAKARTA, 5_067_380, ("UMP", "DKI Jakarta", 5_067_381)),
        (JAKARTA, 5_067_381, None),
        (WEST_JAVA, 2_057_494, ("UMP", "Jawa Barat", 2_057_495)),
        (WEST_JAVA, 2_057_495, None),
    ],
    ids=str,
)
def test_the_wage_is_compared_with_the_umk_where_there_is_one_else_the_ump(
    employer, wage, floor
):
    row = report(date(2024, 6, 1), employer=employer, wage=wage)

    result = checks([row], today=date(2024, 12, 1), floors=FLOORS)

    below = [w for w in result.warnings if w.finding == Finding.BELOW_MINIMUM]
    if floor is None:
        assert below == []
    else:
        level, region, amount = floor
        assert [
            (w.wage_floor.level, w.wage_floor.region, w.wage_floor.amount)
            for w in below
        ] == [(level, region, amount)]


def test_the_loaded_minimum_wages_of_2024_and_2025():
    # Jakarta UMP 2024 Rp 5,067,381 and 2025 Rp 5,396,761 (DOMAIN.md); the 2025
    # UMK of Kota Bekasi, 6.5 % above 2024 (Permenaker 16/2024).
    from contributions.selectors import wage_floors_for

    floors = wage_floors_for(province_codes={"31", "32"})

    assert floors.floor(province="31", regency="3174", year=2024).amount == 5_067_381
    assert floors.floor(province="31", regency="", year=2025).amount == 5_396_761
    assert floors.floor(province="32", regency="3275", year=2025).amount == 5_690_752


# --- job-loss cover (JKP): information, never an employer payment -----------------


@pytest.mark.parametrize(
    ("wage", "period", "cover"),
    [
        (WAGE, date(2021, 1, 1), None),  # JKP began on 2 February 2021
        # PP 37/2021 art. 11: 0.46 % of the wage up to Rp 5,000,000 = 23,000:
        # 0.22 % government 11,000 + 0.14 % from JKK 7,000 + 0.10 % from JKM 5,000.
        (WAGE, date(2021, 2, 1), (23_000, 11_000, 7_000, 5_000)),
        (WAGE, date(2025, 1, 1), (23_000, 11_000, 7_000, 5_000)),
        # PP 6/2025 from 7 February 2025: 0.36 % = 0.22 % + 0.14 %.
        (WAGE, date(2025, 2, 1), (18_000, 11_000, 7_000, 0)),
        # Below the cap: 0.22 % and 0.14 % of 3,000,000 = 6,600 + 4,200.
        (3_000_000, date(2025, 2, 1), (10_800, 6_600, 4_200, 0)),
    ],
    ids=str,
)
def test_jkp_cover_and_its_financing(wage, period, cover):
    result = RateBook.load().jkp_cover(wage=wage, period=period)

    if cover is None:
        assert result is None
    else:
        assert (
            result.amount,
            result.government,
            result.from_jkk,
            result.from_jkm,
        ) == cover
