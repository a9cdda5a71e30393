"""An employer's real report, end to end: import_contributions, then the page.

The report is what an HR department sends when it follows the regulations to
the rupiah: wage Rp 12 jt, JKK risk class very low, January 2019 to October
2026, paid on the 10th of the next month, no JKP. Its amounts are literals
worked out by hand (tests/contributions/test_golden_cases.py shows the
arithmetic), not by the product's rate code. CI runs this on PostgreSQL, where
the import goes through COPY.
"""

import csv
import re
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from contributions.importer import COLUMNS
from contributions.models import Employer, Employment
from tests.contributions.test_golden_cases import JHT_12M, JKK_12M, JKM_12M, JP_12M
from tests.factories import MemberFactory

pytestmark = pytest.mark.usefixtures("statutory_figures")

NPP = "BK000123"
FIRST, LAST = date(2019, 1, 1), date(2026, 10, 1)
# Planted: each breaks one rule once. The low-wage month's amounts are lawful
# for Rp 5,300,000: 3.7 % 196,100; 2 % 106,000; JP 2 % 106,000 and 1 % 53,000
# (below the cap); JKK 0.24 % 12,720; JKM 0.30 % 15,900.
PLANTED = {
    date(2019, 6, 1): {"jht_employee": "215000"},  # 25,000 short of 240,000
    date(2021, 7, 1): {"jp_employer": "240000", "jp_employee": "120000"},
    date(2022, 2, 1): {"paid_date": "2022-03-16"},  # due Tuesday 15 March
    date(2026, 9, 1): {"paid_date": ""},  # due 15 October 2026, never paid
    date(2024, 6, 1): {
        "wage": "5300000",  # Kota Bekasi UMK 2024: 5,343,430
        "jht_employer": "196100",
        "jht_employee": "106000",
        "jp_employer": "106000",
        "jp_employee": "53000",
        "jkk": "12720",
        "jkm": "15900",
    },
}
MISSING = date(2023, 8, 1)
FINDINGS = {
    "mismatch": "June 2019",
    "jp_above_cap": "July 2021",
    "late": "February 2022",
    "unpaid": "September 2026",
    "below_minimum": "June 2024",
    "arrears": "August 2023",
}


def months(first: date, last: date):
    period = first
    while period <= last:
        yield period
        period = date(period.year + period.month // 12, period.month % 12 + 1, 1)


def line(member, period: date, **changes) -> dict:
    jp_year = period.year if period.month >= 3 else period.year - 1
    jp_employer, jp_employee = JP_12M.get(jp_year, (0, 0))  # 2027: given by the test
    paid = date(period.year + period.month // 12, period.month % 12 + 1, 10)
    return {
        "npp": NPP,
        "kpj": member.kpj_number,
        "nik": member.nik,
        "period": f"{period:%Y-%m}",
        "wage": "12000000",
        "jht_employer": str(JHT_12M[0]),
        "jht_employee": str(JHT_12M[1]),
        "jp_employer": str(jp_employer),
        "jp_employee": str(jp_employee),
        "jkk": str(JKK_12M),
        "jkm": str(JKM_12M),
        "jkp": "0",
        "paid_date": paid.isoformat(),
        **changes,
    }


@pytest.fixture
def worker(db):
    member = MemberFactory(full_name="Rahmat Hidayat", preferred_language="en")
    employer = Employer.objects.create(
        npp=NPP,
        name="PT Kantor Patuh",
        risk_class=1,
        province_code="32",
        regency_code="3275",  # Kota Bekasi
    )
    Employment.objects.create(member=member, employer=employer, start=FIRST)
    return member


def import_file(tmp_path, rows) -> None:
    path = tmp_path / "report.csv"
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    call_command("import_contributions", str(path), verbosity=0)


def history_page(client, login, member) -> str:
    login(member)
    return client.get(reverse("contributions:history")).content.decode()


def warnings_on_page(client, login, member) -> dict[str, str]:
    page = history_page(client, login, member)
    return dict(
        re.findall(r'<li class="warning warning-(\w+)">(.*?)</li>', page, re.DOTALL)
    )


@time_machine.travel("2026-12-06 10:00 +0700", tick=False)
def test_a_lawful_report_shows_no_warning(client, login, worker, tmp_path):
    rows = [line(worker, period) for period in months(FIRST, LAST)]

    import_file(tmp_path, rows)

    assert len(rows) == 94
    assert worker.contributions.count() == 94
    assert warnings_on_page(client, login, worker) == {}


@time_machine.travel("2026-12-06 10:00 +0700", tick=False)
def test_one_planted_error_of_each_kind_shows_exactly_those_once(
    client, login, worker, tmp_path
):
    rows = [
        line(worker, period, **PLANTED.get(period, {}))
        for period in months(FIRST, LAST)
        if period != MISSING
    ]

    import_file(tmp_path, rows)

    warnings = warnings_on_page(client, login, worker)
    assert sorted(warnings) == sorted(FINDINGS)
    for finding, month in FINDINGS.items():
        assert month in warnings[finding], finding
        assert "(2 months)" not in warnings[finding], finding
    assert "Kota Bekasi" in warnings["below_minimum"]
    assert "Rp" in warnings["late"]  # the employer's fine is shown


@time_machine.travel("2026-12-06 10:00 +0700", tick=False)
def test_the_page_shows_the_jkp_cover_as_information(client, login, worker, tmp_path):
    import_file(tmp_path, [line(worker, date(2026, 10, 1))])

    page = history_page(client, login, worker)

    # PP 6/2025: 0.36 % of the wage up to Rp 5,000,000 = 18,000: 0.22 % from
    # the government (11,000) and 0.14 % moved from the employer's JKK (7,000).
    assert "Your employer pays nothing extra for it" in page
    assert (
        "For October 2026 it was worth Rp 18,000 (0.36% of Rp 5,000,000): "
        "Rp 11,000 from the government, and Rp 7,000 moved" in " ".join(page.split())
    )


@time_machine.travel("2027-05-20 10:00 +0700", tick=False)
def test_a_month_without_a_known_cap_is_named_not_flagged(
    client, login, worker, tmp_path
):
    # No 2027 cap yet: March 2027 with JP on the whole wage is not judged.
    Employment.objects.filter(member=worker).update(start=date(2027, 2, 1))
    import_file(
        tmp_path,
        [
            line(worker, date(2027, 2, 1)),
            line(
                worker,
                date(2027, 3, 1),
                jp_employer="240000",
                jp_employee="120000",
            ),
            line(worker, date(2027, 4, 1), jp_employer="0", jp_employee="0"),
        ],
    )

    page = history_page(client, login, worker)

    assert "Please check these" not in page
    assert "The pension (JP) wage cap for 2027 is not yet known here" in " ".join(
        page.split()
    )
