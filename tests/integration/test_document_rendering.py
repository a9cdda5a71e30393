"""Documents are rendered by the real Celery worker on Redis, never in a request.

Also measures what a render costs, and prints it (run with -s to see it):
cold (a fresh process: WeasyPrint imported, fonts found) and warm render times
and the peak of Python memory (tracemalloc) for a contribution statement of 120
months and for the membership card, and the time from request to ready with
the real worker.

On SQLite the worker thread and the test share one in-memory database that
refuses a write while another connection writes, so the tests wait for tasks
without querying the database (see test_password_reset_mail.py).
"""

import io
import json
import os
import pickle
import subprocess
import sys
import time
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from contributions.models import Contribution, Employer
from contributions.rates import RateBook
from documents.content import contribution_statement, membership_card
from documents.models import GeneratedDocument

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RENDER = "documents.tasks.render_document"
LIST = reverse("documents:list")
REFRESH = '<meta http-equiv="refresh" content="3">'
D = GeneratedDocument.Status
K = GeneratedDocument.Kind
STATEMENT = {"kind": K.CONTRIBUTION_STATEMENT, "year_from": 2015, "year_to": 2024}

# Run in a fresh interpreter, so that the first render is a cold one. Renders
# one document (pickled: the model's fields and the data of documents.content)
# a few times and prints the seconds, or the tracemalloc peaks, as JSON; the
# process's maximum RSS also counts what WeasyPrint's C libraries allocate.
MEASURE = """
import io, json, pickle, resource, shutil, sys, time, tracemalloc
import django
from pypdf import PdfReader
django.setup()
from django.conf import settings
from documents.models import GeneratedDocument
from documents.services import render_pdf

path, what, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(path, "rb") as file:
    fields, data = pickle.load(file)
document = GeneratedDocument(**fields)
results = []
for _ in range(times):
    if what == "memory":
        tracemalloc.start()
    start = time.perf_counter()
    pdf = render_pdf(document, data)
    seconds = time.perf_counter() - start
    if what == "memory":
        results.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    else:
        results.append(seconds)
shutil.rmtree(settings.PRIVATE_ROOT, ignore_errors=True)
print(json.dumps({
    "results": results,
    "pdf_bytes": len(pdf),
    "pages": len(PdfReader(io.BytesIO(pdf)).pages),
    "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def add_career(member) -> None:
    """120 months, 2015–2024, at two employers, at the statutory amounts."""
    rates = RateBook.load()
    building = Employer.objects.create(
        npp="MJ000001", name="PT Maju Jaya Konstruksi", risk_class=3, province_code="31"
    )
    digital = Employer.objects.create(
        npp="ND000003", name="PT Nusantara Digital", risk_class=1, province_code="31"
    )
    rows, period = [], date(2015, 1, 1)
    for n in range(120):
        employer = building if period.year < 2020 else digital
        wage = 4_000_000 + n * 37_000
        expected = rates.expected(
            wage=wage, period=period, risk_class=employer.risk_class
        )
        rows.append(
            Contribution(
                member=member,
                employer=employer,
                period=period,
                wage=wage,
                **expected.amounts(),
                paid_date=next_month(period).replace(day=10),
            )
        )
        period = next_month(period)
    Contribution.objects.bulk_create(rows)


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def download(client, document) -> bytes:
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_requested_document_is_queued_then_rendered_by_the_worker(
    client, login, member, statutory_figures, celery, redis_url
):
    add_career(member)
    login(member)  # before the broker: sign-in mail, if any, stays in-process
    celery.use_broker(redis_url)

    response = client.post(LIST, STATEMENT)

    # The request returned with the document queued, not rendered: no worker yet.
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert document.status == D.QUEUED
    assert not document.file
    assert celery.queued() == 1
    assert celery.runs(RENDER) == []
    waiting = client.get(LIST).content.decode()
    assert REFRESH in waiting
    assert "Waiting" in waiting

    celery.start_worker()
    celery.wait_for_runs(RENDER, "SUCCESS")

    assert celery.queued() == 0
    document.refresh_from_db()
    assert document.status == D.READY, document.error
    assert document.ready_at is not None
    body = download(client, document)
    assert body.startswith(b"%PDF-")
    text = pdf_text(body)
    assert member.full_name in text
    assert member.kpj_number in text
    assert document.display_code in text
    ready = client.get(LIST).content.decode()
    assert REFRESH not in ready
    assert "Download PDF" in ready


def test_time_from_request_to_ready_with_the_real_worker(
    client, login, member, statutory_figures, celery, redis_url
):
    add_career(member)
    login(member)
    celery.use_broker(redis_url)
    celery.start_worker()
    timings = []

    for count, (label, form) in enumerate(
        (
            ("statement, 120 months", STATEMENT),
            ("membership card", {"kind": K.MEMBERSHIP_CARD}),
        ),
        start=1,
    ):
        requested = timezone.now()
        start = time.perf_counter()
        response = client.post(LIST, form)
        answered = time.perf_counter() - start
        assert response.status_code == 302
        celery.wait_for_runs(RENDER, "SUCCESS", count=count)
        seen = time.perf_counter() - start
        document = GeneratedDocument.objects.get(kind=form["kind"])
        assert document.status == D.READY, document.error
        ready = (document.ready_at - requested).total_seconds()
        timings.append((label, answered, ready, seen))
        assert ready < 30

    print("\nRequest to ready with the real Celery worker (Redis broker):")
    for label, answered, ready, seen in timings:
        print(
            f"  {label:24} request answered in {answered * 1000:6.0f} ms, "
            f"ready after {ready:5.2f} s (task seen done after {seen:5.2f} s)"
        )


def measure(tmp_path, name: str, fields: dict, data: dict) -> dict:
    """Cold and warm seconds and tracemalloc peaks, each in a fresh process."""
    job = tmp_path / f"{name}.pickle"
    job.write_bytes(pickle.dumps((fields, data)))
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}

    def run(what: str, times: int) -> dict:
        finished = subprocess.run(
            [sys.executable, "-c", MEASURE, str(job), what, str(times)],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert finished.returncode == 0, finished.stderr[-3000:]
        return json.loads(finished.stdout.strip().splitlines()[-1])

    seconds, memory = run("seconds", 3), run("memory", 2)
    return {
        "cold_s": seconds["results"][0],
        "warm_s": min(seconds["results"][1:]),
        "cold_peak_mib": memory["results"][0] / 2**20,
        "warm_peak_mib": memory["results"][1] / 2**20,
        "max_rss_mib": seconds["max_rss_kib"] / 1024,
        "pdf_kib": seconds["pdf_bytes"] / 1024,
        "pages": seconds["pages"],
    }


def test_render_cost_of_a_long_statement_and_of_the_card(
    tmp_path, member, statutory_figures
):
    add_career(member)
    today = timezone.localdate()
    document = {"member_id": member.pk, "language": "en", "code": "TESTC0DE2345"}
    jobs = {
        "statement, 120 months": (
            {**document, "kind": K.CONTRIBUTION_STATEMENT},
            contribution_statement(
                member=member, year_from=2015, year_to=2024, today=today
            ),
        ),
        "membership card": (
            {**document, "kind": K.MEMBERSHIP_CARD},
            membership_card(member=member, today=today),
        ),
    }
    assert len(jobs["statement, 120 months"][1]["rows"]) == 120

    figures = {
        label: measure(tmp_path, f"job{n}", fields, data)
        for n, (label, (fields, data)) in enumerate(jobs.items())
    }

    print("\nRender cost (cold: first render in a fresh process; warm: best of 2):")
    for label, f in figures.items():
        print(
            f"  {label:24} cold {f['cold_s']:5.2f} s, warm {f['warm_s']:5.2f} s; "
            f"tracemalloc peak cold {f['cold_peak_mib']:5.1f} MiB, "
            f"warm {f['warm_peak_mib']:5.1f} MiB; process max RSS "
            f"{f['max_rss_mib']:5.0f} MiB; PDF {f['pages']} page(s), "
            f"{f['pdf_kib']:.0f} KiB"
        )
    statement = figures["statement, 120 months"]
    assert statement["pages"] >= 3
    assert figures["membership card"]["pages"] == 1
    # Generous bounds: a worker renders one at a time, well within its limits.
    assert statement["warm_s"] < 10
    assert statement["warm_peak_mib"] < 200
    assert figures["membership card"]["warm_s"] < 5
    assert statement["cold_s"] < 60
