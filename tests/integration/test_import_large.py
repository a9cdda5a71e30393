"""A long contributions report on PostgreSQL: streamed, set-based, repeatable."""

import tracemalloc
from datetime import date

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Member
from contributions.importer import COLUMNS, contributions_import
from contributions.models import Contribution, Employer
from tests.factories import nik_for
from tests.integration.conftest import unavailable

MEMBERS, EMPLOYERS, MONTHS = 2_000, 5, 20
ROWS = MEMBERS * EMPLOYERS * MONTHS  # 200,000
BORN = date(1990, 3, 15)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_file(tmp_path):
    """A valid report of ROWS rows, and the members and employers it names."""
    if connection.vendor != "postgresql":
        unavailable("the large import runs on PostgreSQL only (set DATABASE_URL)")
    npps = [f"LG{n:06d}" for n in range(EMPLOYERS)]
    Employer.objects.bulk_create(
        Employer(npp=npp, name=f"PT Besar {npp}", province_code="31") for npp in npps
    )
    members = Member.objects.bulk_create(
        Member(
            kpj_number=f"{20_000_000_000 + n}",
            nik=nik_for(BORN, female=n % 2 == 1, serial=n + 1),
            full_name=f"Peserta {n}",
            date_of_birth=BORN,
            password=make_password(None),
        )
        for n in range(MEMBERS)
    )
    path = tmp_path / "large.csv"
    with path.open("w") as file:
        file.write(",".join(COLUMNS) + "\n")
        for npp in npps:
            for month in range(MONTHS):
                period = f"{2023 + month // 12}-{month % 12 + 1:02d}"
                for member in members:
                    file.write(
                        f"{npp},{member.kpj_number},{member.nik},{period},"
                        "5000000,185000,100000,100000,50000,12000,15000,0,"
                        "2024-02-10\n"
                    )
    return path


def test_long_file_is_imported_in_flat_memory_and_again_unchanged(report_file):
    tracemalloc.start()
    try:
        first = contributions_import(path=report_file, dry_run=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert first.errors == []
    assert (first.rows, first.inserted, first.updated, first.unchanged) == (
        ROWS,
        ROWS,
        0,
        0,
    )
    assert Contribution.objects.count() == ROWS
    # The file is about 20 MB; its rows in Python objects would be ten times that.
    assert peak < 10 * 2**20, f"peak of {peak / 2**20:.1f} MiB"

    with CaptureQueriesContext(connection) as queries:
        again = contributions_import(path=report_file, dry_run=False)

    assert again.errors == []
    assert (again.rows, again.inserted, again.updated, again.unchanged) == (
        ROWS,
        0,
        0,
        ROWS,
    )
    # A few statements for the whole file, none per row.
    assert len(queries) < 20
