"""The ops import of employers' contribution reports, on SQLite and PostgreSQL."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from contributions import importer
from contributions.importer import COLUMNS, contributions_import
from contributions.models import Contribution, Employer

HEADER = ",".join(COLUMNS)


@pytest.fixture
def employer(db):
    return Employer.objects.create(
        npp="AB123456", name="PT Maju Jaya", risk_class=1, province_code="31"
    )


@pytest.fixture
def write_csv(tmp_path):
    """Write a report file: the header, then one line per row given."""

    def write(*rows: str, header: str = HEADER):
        path = tmp_path / "report.csv"
        path.write_text("".join(f"{line}\n" for line in (header, *rows)))
        return path

    return write


def row(member, employer, period="2024-01", **fields) -> str:
    """One CSV line for a member's month, valid unless `fields` say otherwise."""
    values = {
        "npp": employer.npp,
        "kpj": member.kpj_number,
        "nik": member.nik,
        "period": period,
        "wage": "5000000",
        "jht_employer": "185000",
        "jht_employee": "100000",
        "jp_employer": "100000",
        "jp_employee": "50000",
        "jkk": "12000",
        "jkm": "15000",
        "jkp": "0",
        "paid_date": "2024-02-10",
    } | fields
    return ",".join(values[column] for column in COLUMNS)


@pytest.mark.parametrize("jkp", ["0", "", "000"])
def test_a_row_without_a_jkp_payment_is_lawful(member, employer, write_csv, jkp):
    # Employers pay nothing for JKP (PP 37/2021 art. 11; PP 6/2025).
    report = contributions_import(
        path=write_csv(row(member, employer, jkp=jkp)), dry_run=False
    )

    assert report.succeeded
    assert report.inserted == 1


@pytest.mark.parametrize("jkp", ["23000", "1", "-0", "0.0"])
def test_a_jkp_figure_refuses_the_file_with_the_reason(
    member, employer, write_csv, jkp
):
    path = write_csv(
        row(member, employer, "2024-01"), row(member, employer, "2024-02", jkp=jkp)
    )

    report = contributions_import(path=path, dry_run=False)

    assert report.errors == [
        (
            3,
            f'jkp must be 0 or empty, not "{jkp}": employers pay nothing for JKP '
            "(PP 37/2021 art. 11, PP 6/2025)",
        )
    ]
    assert not Contribution.objects.exists()


def test_valid_file_adds_contributions_with_their_amounts(
    member, other_member, employer, write_csv
):
    path = write_csv(
        row(member, employer, "2024-01"),
        row(member, employer, "2024-02", jkk="12500", paid_date=""),
        row(other_member, employer, "2024-01", wage="0", paid_date="2024-02-29"),
    )

    report = contributions_import(path=path, dry_run=False)

    assert report.succeeded
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (
        3,
        3,
        0,
        0,
    )
    january = Contribution.objects.get(member=member, period=date(2024, 1, 1))
    assert january.employer == employer
    assert (january.wage, january.jht_employer, january.jht_employee) == (
        5_000_000,
        185_000,
        100_000,
    )
    assert (january.jp_employer, january.jp_employee) == (100_000, 50_000)
    assert (january.jkk, january.jkm) == (12_000, 15_000)
    assert january.paid_date == date(2024, 2, 10)
    february = Contribution.objects.get(member=member, period=date(2024, 2, 1))
    assert (february.jkk, february.paid_date) == (12_500, None)
    other = Contribution.objects.get(member=other_member)
    assert (other.wage, other.paid_date) == (0, date(2024, 2, 29))
    entry = AuditEntry.objects.get(action="contributions.imported")
    assert entry.data == {"file": "report.csv", "rows": 3, "inserted": 3, "updated": 0}


def test_header_with_a_byte_order_mark_is_accepted(member, employer, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(f"{HEADER}\r\n{row(member, employer)}\r\n", encoding="utf-8-sig")

    report = contributions_import(path=path, dry_run=False)

    assert (report.errors, report.inserted) == ([], 1)


def test_file_with_only_a_header_changes_nothing(employer, write_csv):
    report = contributions_import(path=write_csv(), dry_run=False)

    assert report.succeeded
    assert (report.rows, report.inserted) == (0, 0)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kpj": "19999999999"}, 'no member with KPJ "19999999999"'),
        ({"nik": "3171011503909999"}, "NIK does not match the member with this KPJ"),
        ({"npp": "ZZ999999"}, 'no employer with NPP "ZZ999999"'),
        (
            {"period": "2024-13"},
            'period must be YYYY-MM with a real month, not "2024-13"',
        ),
        (
            {"period": "2024/01"},
            'period must be YYYY-MM with a real month, not "2024/01"',
        ),
        (
            {"jkk": "-5"},
            "jkk must be a whole number of rupiah, 0 or more, without separators, "
            'not "-5"',
        ),
        (
            {"jkm": "1" * 19},
            "jkm must be a whole number of rupiah, 0 or more, without separators, "
            f'not "{"1" * 19}"',
        ),
        (
            {"wage": "1.5"},
            "wage must be a whole number of rupiah, 0 or more, without separators, "
            'not "1.5"',
        ),
        (
            {"jht_employee": '"1,000"'},
            "jht_employee must be a whole number of rupiah, 0 or more, without "
            'separators, not "1,000"',
        ),
        (
            {"paid_date": "2024-02-30"},
            'paid_date must be YYYY-MM-DD or empty, not "2024-02-30"',
        ),
        (
            {"paid_date": "2023-02-29"},
            'paid_date must be YYYY-MM-DD or empty, not "2023-02-29"',
        ),
        (
            {"paid_date": "2024-04-31"},
            'paid_date must be YYYY-MM-DD or empty, not "2024-04-31"',
        ),
        (
            {"paid_date": "10/02/2024"},
            'paid_date must be YYYY-MM-DD or empty, not "10/02/2024"',
        ),
    ],
)
def test_invalid_row_is_reported_by_line_and_nothing_is_written(
    member, other_member, employer, write_csv, fields, reason
):
    path = write_csv(row(other_member, employer), row(member, employer, **fields))

    report = contributions_import(path=path, dry_run=False)

    assert report.errors == [(3, reason)]
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 0)
    assert not Contribution.objects.exists()
    assert not AuditEntry.objects.filter(action="contributions.imported").exists()


def test_every_problem_of_a_line_is_given(member, employer, write_csv):
    path = write_csv(row(member, employer, npp="ZZ999999", period="2024-1", jkm=""))

    report = contributions_import(path=path, dry_run=False)

    assert report.errors == [
        (
            2,
            'no employer with NPP "ZZ999999"; '
            'period must be YYYY-MM with a real month, not "2024-1"; '
            "jkm must be a whole number of rupiah, 0 or more, without separators, "
            'not ""',
        )
    ]


def test_repeated_member_month_is_an_error_on_the_later_lines(
    member, other_member, employer, write_csv, monkeypatch
):
    # Small batches on SQLite: repeats are found across them.
    monkeypatch.setattr(importer.parse, "BATCH_ROWS", 2)
    path = write_csv(
        row(member, employer, "2024-01"),
        row(member, employer, "2024-01", wage="6000000"),
        row(other_member, employer, "2024-01"),
        row(member, employer, "2024-02"),
        row(member, employer, "2024-01"),
    )

    report = contributions_import(path=path, dry_run=False)

    assert report.errors == [
        (3, "same NPP, KPJ and period as line 2"),
        (6, "same NPP, KPJ and period as line 2"),
    ]
    assert not Contribution.objects.exists()


def test_invalid_last_line_leaves_nothing_written(
    member, other_member, employer, write_csv, monkeypatch
):
    # On SQLite the first batches are staged before the last one is read.
    monkeypatch.setattr(importer.parse, "BATCH_ROWS", 2)
    path = write_csv(
        *(row(member, employer, f"2024-{month:02d}") for month in range(1, 13)),
        row(other_member, employer, "2024-01", jkm="-1"),
    )

    report = contributions_import(path=path, dry_run=False)

    assert [line for line, _ in report.errors] == [14]
    assert not Contribution.objects.exists()


def test_only_the_first_invalid_lines_are_reported(member, employer, write_csv):
    path = write_csv(
        *(row(member, employer, f"{year}-01", npp="ZZ1") for year in range(2000, 2060))
    )

    report = contributions_import(path=path, dry_run=False)

    assert len(report.errors) == importer.MAX_ERRORS
    assert (report.errors[0][0], report.errors[-1][0]) == (2, 51)


@pytest.mark.parametrize(
    "header",
    [
        HEADER.replace(",paid_date", ""),
        HEADER.replace("kpj,nik", "nik,kpj"),
        HEADER.upper(),
        HEADER.replace(",", ";"),
        "",
    ],
)
def test_wrong_header_refuses_the_file(member, employer, write_csv, header):
    path = write_csv(row(member, employer), header=header)

    report = contributions_import(path=path, dry_run=False)

    assert report.errors == [
        (1, f'the header must be "{HEADER}", not "{header}"'),
    ]
    assert not Contribution.objects.exists()


def test_row_with_missing_columns_refuses_the_file(member, employer, write_csv):
    path = write_csv(row(member, employer), "AB123456,10000000001,3171011503900001")

    report = contributions_import(path=path, dry_run=False)

    [(line, reason)] = report.errors
    assert line == 3
    assert reason.startswith("not a valid CSV row: ")
    assert not Contribution.objects.exists()


def test_file_that_is_not_utf8_is_refused_at_the_bad_line(member, employer, tmp_path):
    path = tmp_path / "latin1.csv"
    lines = [HEADER, row(member, employer), row(member, employer, "2024-02")]
    path.write_bytes("\n".join(lines).encode() + b"\n\xe9\n")

    report = contributions_import(path=path, dry_run=False)

    assert report.errors == [(4, "not valid UTF-8")]
    assert not Contribution.objects.exists()


# Real commits on PostgreSQL: the staging table must be gone after each import.
@pytest.mark.django_db(transaction=True)
def test_importing_the_same_file_again_changes_nothing(member, employer, write_csv):
    path = write_csv(
        row(member, employer, "2024-01"), row(member, employer, "2024-02", paid_date="")
    )
    contributions_import(path=path, dry_run=False)
    before = list(Contribution.objects.values())

    report = contributions_import(path=path, dry_run=False)

    assert report.succeeded
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (
        2,
        0,
        0,
        2,
    )
    assert list(Contribution.objects.values()) == before


def test_changed_figures_update_the_contribution(
    member, other_member, employer, write_csv
):
    contributions_import(
        path=write_csv(
            row(member, employer, "2024-01", paid_date=""),
            row(member, employer, "2024-02"),
            row(other_member, employer, "2024-01"),
        ),
        dry_run=False,
    )

    report = contributions_import(
        path=write_csv(
            row(member, employer, "2024-01"),
            row(member, employer, "2024-02", jht_employer="190000"),
            row(other_member, employer, "2024-01"),
            row(other_member, employer, "2024-02"),
        ),
        dry_run=False,
    )

    assert (report.rows, report.inserted, report.updated, report.unchanged) == (
        4,
        1,
        2,
        1,
    )
    january = Contribution.objects.get(member=member, period=date(2024, 1, 1))
    assert january.paid_date == date(2024, 2, 10)
    february = Contribution.objects.get(member=member, period=date(2024, 2, 1))
    assert february.jht_employer == 190_000
    assert Contribution.objects.count() == 4


def test_dry_run_counts_the_changes_and_writes_nothing(
    member, other_member, employer, write_csv
):
    contributions_import(
        path=write_csv(
            row(member, employer, "2024-01"), row(member, employer, "2024-02")
        ),
        dry_run=False,
    )
    before = list(Contribution.objects.values())

    report = contributions_import(
        path=write_csv(
            row(member, employer, "2024-01"),
            row(member, employer, "2024-02", jkm="16000"),
            row(other_member, employer, "2024-01"),
        ),
        dry_run=True,
    )

    assert report.succeeded
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (
        3,
        1,
        1,
        1,
    )
    assert list(Contribution.objects.values()) == before
    assert AuditEntry.objects.filter(action="contributions.imported").count() == 1


def test_progress_is_reported_on_long_files(member, employer, write_csv, monkeypatch):
    monkeypatch.setattr(importer.parse, "PROGRESS_EVERY", 2)
    path = write_csv(
        *(row(member, employer, f"2024-{month:02d}") for month in range(1, 6))
    )
    seen = []

    contributions_import(path=path, dry_run=False, progress=seen.append)

    assert seen == [5]


def test_command_prints_a_summary(member, employer, write_csv, capsys):
    path = write_csv(row(member, employer, "2024-01"), row(member, employer, "2024-02"))

    call_command("import_contributions", str(path))

    assert capsys.readouterr().out.splitlines() == [
        "rows: 2, inserted: 2, updated: 0, unchanged: 0"
    ]
    assert Contribution.objects.count() == 2


def test_command_dry_run_says_nothing_was_written(member, employer, write_csv, capsys):
    path = write_csv(row(member, employer))

    call_command("import_contributions", str(path), "--dry-run")

    assert capsys.readouterr().out.splitlines() == [
        "Dry run: nothing was written.",
        "rows: 1, inserted: 1, updated: 0, unchanged: 0",
    ]
    assert not Contribution.objects.exists()


def test_command_lists_the_errors_and_fails(member, employer, write_csv, capsys):
    path = write_csv(
        row(member, employer), row(member, employer, period="2024-13", jkm="1.5")
    )

    with pytest.raises(CommandError, match="invalid lines: 1; nothing was written"):
        call_command("import_contributions", str(path))

    assert capsys.readouterr().err.splitlines() == [
        'line 3: period must be YYYY-MM with a real month, not "2024-13"; '
        "jkm must be a whole number of rupiah, 0 or more, without separators, "
        'not "1.5"'
    ]
    assert not Contribution.objects.exists()


def test_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_contributions", str(tmp_path / "missing.csv"))
