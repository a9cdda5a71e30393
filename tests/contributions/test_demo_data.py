"""The demo is made by the lawful rules: each demo member sees exactly the
problems planted for them, and the README's example report imports cleanly."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import Member
from contributions.checks import Finding
from contributions.models import Employer, Holiday
from contributions.selectors import checks_for_member
from demo.contributions import PLANTED

README = Path(__file__).resolve().parents[2] / "README.md"
TODAY = date(2026, 12, 6)
pytestmark = pytest.mark.usefixtures("statutory_figures")


@pytest.fixture(autouse=True)
def _on_the_demos_day():
    with time_machine.travel("2026-12-06 10:00 +0700", tick=False):
        yield


@pytest.fixture
def demo(db):
    out = io.StringIO()
    call_command("seed_demo", "--allow-without-debug", stdout=out)
    return out.getvalue()


def shown(kpj: str) -> set[tuple]:
    member = Member.objects.get(kpj_number=kpj)
    names = dict(Employer.objects.values_list("name", "npp"))
    return {
        (w.finding, names[w.employer_name], w.first, w.last)
        for w in checks_for_member(member=member, today=TODAY).warnings
    }


def test_siti_sees_one_warning_of_every_kind_and_nothing_else(demo):
    planted = {(p.finding, p.npp, p.first, p.last) for p in PLANTED}

    assert shown("12345678901") == planted
    assert {finding for finding, *_ in planted} == set(Finding.values)


def test_budi_with_relief_months_and_moved_due_dates_sees_no_warning(demo):
    assert shown("12345678902") == set()


def test_seed_demo_lists_each_members_warnings(demo):
    assert "Siti Rahayu: 6" in demo
    assert "Paid late: PT Nusantara Digital, 2024-01" in demo
    assert "Months with no contribution: PT Nusantara Digital, 2023-03 to 2023-05" in (
        demo
    )
    assert "Budi Santoso: none" in demo


def test_the_readme_example_report_imports_cleanly_against_the_demo(demo, tmp_path):
    section = README.read_text().split("### What a lawful report looks like", 1)[1]
    example = re.search(r"```csv\n(.*?)```", section, re.DOTALL).group(1)
    path = tmp_path / "report.csv"
    path.write_text(example)
    out = io.StringIO()

    call_command("import_contributions", str(path), stdout=out)

    assert out.getvalue().strip() == "rows: 3, inserted: 0, updated: 0, unchanged: 3"
    assert shown("12345678902") == set()


def test_load_holidays_adds_a_year_and_keeps_what_staff_edited(db):
    Holiday.objects.filter(day__year=2028).delete()
    Holiday.objects.create(
        day=date(2028, 1, 1), name="Tahun Baru (edited)", kind="public", source="staff"
    )
    out = io.StringIO()

    call_command("load_holidays", "--year", "2028", stdout=out)
    call_command("load_holidays", "--year", "2028", stdout=io.StringIO())

    assert Holiday.objects.get(day=date(2028, 1, 1)).name == "Tahun Baru (edited)"
    assert Holiday.objects.filter(day__year=2028, kind="public").count() > 10
    assert Holiday.objects.filter(day=date(2028, 8, 17)).exists()  # Independence Day
    assert "days added to the holiday calendar for 2028" in out.getvalue()
