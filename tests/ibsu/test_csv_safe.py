"""No CSV the portal writes can run a formula in the member's spreadsheet.

Every writer goes through ibsu/lib/csv_safe.py: the contributions download and
the data export are fed names starting with each prefix a spreadsheet treats as
a formula, and a scan of the code makes sure nothing else writes CSV.
"""

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from contributions.models import Contribution, Employer, Employment
from ibsu.lib.csv_safe import spreadsheet_safe
from privacy.services import data_export_request

ROOT = Path(__file__).resolve().parents[2]
# Each prefix a spreadsheet runs, as a name an employer could be registered with.
HOSTILE = [
    '=HYPERLINK("http://evil.example","Klik")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_a_formula_is_written_as_text(raw):
    assert spreadsheet_safe(raw) == "'" + raw


@pytest.mark.parametrize(
    "raw", ["-12.5", "+6281234567890", "PT Maju - Jaya", "Siti Rahayu", -5, None]
)
def test_plain_values_are_left_alone(raw):
    assert spreadsheet_safe(raw) == raw


@pytest.fixture
def hostile_employers(db, member):
    employers = []
    for number, name in enumerate(HOSTILE, start=1):
        employer = Employer.objects.create(
            npp=f"EV{number:06d}", name=name, risk_class=1, province_code="31"
        )
        Employment.objects.create(
            member=member, employer=employer, start=date(2020, number, 1)
        )
        Contribution.objects.create(
            member=member,
            employer=employer,
            period=date(2023, number, 1),
            wage=5_000_000,
            jht_employer=185_000,
            jht_employee=100_000,
        )
        employers.append(employer)
    return employers


def _names_in(rows: list[list[str]], column: int) -> set[str]:
    return {row[column] for row in rows[1:]}


def test_the_contributions_download_writes_employer_formulas_as_text(
    member, login, hostile_employers
):
    response = login(member).get(reverse("contributions:export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))

    assert _names_in(rows, rows[0].index("Employer")) == {
        "'" + name for name in HOSTILE
    }


def test_the_data_export_writes_employer_formulas_as_text(
    member, hostile_employers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export, _created = data_export_request(member=member, language="en")
    export.refresh_from_db()
    with export.file.open("rb") as file, zipfile.ZipFile(file) as archive:
        text = archive.read("employments.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))

    assert _names_in(rows, rows[0].index("employer_name")) == {
        "'" + name for name in HOSTILE
    }


_CSV_WRITER = re.compile(r"\bcsv\.(writer|DictWriter)\b|from csv import")


def _project_modules():
    # The benchmark writes CSV for the importer to read, never for a member.
    skipped = {"tests", "bench"}
    for folder in ROOT.iterdir():
        if (
            folder.is_dir()
            and not folder.name.startswith(".")
            and folder.name not in skipped
        ):
            yield from folder.rglob("*.py")


def test_no_code_writes_csv_without_the_helper():
    writers = [
        str(path.relative_to(ROOT))
        for path in _project_modules()
        if _CSV_WRITER.search(path.read_text())
    ]

    assert writers == ["ibsu/lib/csv_safe.py"]
