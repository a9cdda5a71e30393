"""Nothing stays "in progress" when its worker dies (ibsu/lib/leases.py).

A worker is simulated by taking the row the way the render task does and then
never finishing; time_machine moves past its lease. The real thing (a Celery
worker process killed with SIGKILL) is tests/integration/test_worker_killed.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from documents.models import GeneratedDocument
from documents.services import document_render, document_request
from documents.tasks import render_document, requeue_stuck_documents
from ibsu.lib.leases import MAX_ATTEMPTS, WORKER_LOST, lease_take
from privacy.models import DataExport
from privacy.services import data_export_build, data_export_request
from privacy.tasks import build_data_export, requeue_stuck_exports

pytestmark = pytest.mark.django_db

D = GeneratedDocument.Status
E = DataExport.Status
LIST = reverse("documents:list")
EXPORT = reverse("privacy:export")
CARD = GeneratedDocument.Kind.MEMBERSHIP_CARD


def _request_card(member) -> GeneratedDocument:
    # Not queued: the test plays the worker itself.
    return document_request(member=member, kind=CARD, params={}, language="en")


def _worker_takes(document: GeneratedDocument) -> GeneratedDocument:
    """A worker takes the document and dies before finishing it."""
    return lease_take(
        GeneratedDocument.objects.select_related("member"),
        pk=document.pk,
        waiting=[D.QUEUED],
        working=D.RENDERING,
        lease=timedelta(minutes=2),
    )


def _after_lease(minutes: float = 2.5):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


@pytest.fixture
def new_files(settings):
    """Files stored in private storage since the test began (the folder is
    shared by the whole run; the model's storage is fixed at import)."""
    before = set(settings.PRIVATE_ROOT.rglob("*.*"))

    def _new_files(pattern: str) -> list[str]:
        now = set(settings.PRIVATE_ROOT.rglob(pattern))
        return sorted(path.name for path in now - before)

    return _new_files


def test_a_render_whose_worker_died_is_taken_again_after_its_lease(
    member, login, new_files, django_capture_on_commit_callbacks
):
    document = _request_card(member)
    _worker_takes(document)
    client = login(member)
    assert "Being made" in client.get(LIST).content.decode()

    with _after_lease():
        assert "Retrying" in client.get(LIST).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            assert requeue_stuck_documents() == 1  # the beat task, every minute

    document.refresh_from_db()
    assert document.status == D.READY
    assert document.attempts == 2
    assert GeneratedDocument.objects.count() == 1
    assert new_files("*.pdf") == [document.file.name.rsplit("/", 1)[1]]
    assert "Download PDF" in client.get(LIST).content.decode()


def test_a_live_lease_is_left_alone(member):
    document = _request_card(member)
    _worker_takes(document)

    with _after_lease(minutes=1):
        assert requeue_stuck_documents() == 0
        assert document_render(document_id=document.pk) is None

    document.refresh_from_db()
    assert (document.status, document.attempts) == (D.RENDERING, 1)


def test_asking_again_for_a_stuck_document_renders_it(
    member, login, django_capture_on_commit_callbacks
):
    document = _request_card(member)
    _worker_takes(document)
    client = login(member)

    with _after_lease(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"kind": CARD})

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == D.READY
    assert GeneratedDocument.objects.count() == 1


def test_a_late_worker_keeps_no_file_once_another_took_its_document(
    member, new_files, monkeypatch
):
    document = _request_card(member)
    from documents import services

    real_render = services.render_pdf

    def slow_render(rendering, data):
        # While this worker renders, its lease runs out and another one takes
        # the document and finishes it.
        monkeypatch.setattr(services, "render_pdf", real_render)
        with _after_lease():
            assert document_render(document_id=rendering.pk) is not None
        return real_render(rendering, data)

    monkeypatch.setattr(services, "render_pdf", slow_render)
    late = document_render(document_id=document.pk)

    assert late is None
    document.refresh_from_db()
    assert (document.status, document.attempts) == (D.READY, 2)
    assert new_files("*.pdf") == [document.file.name.rsplit("/", 1)[1]]


def test_a_document_that_loses_every_worker_ends_failed(member, login):
    document = _request_card(member)
    for attempt in range(MAX_ATTEMPTS):
        with _after_lease(minutes=3 * attempt):
            taken = lease_take(
                GeneratedDocument.objects.all(),
                pk=document.pk,
                waiting=[D.QUEUED],
                working=D.RENDERING,
                lease=timedelta(minutes=2),
            )
        assert taken is not None

    with _after_lease(minutes=3 * MAX_ATTEMPTS):
        assert requeue_stuck_documents() == 0

    document.refresh_from_db()
    assert (document.status, document.error) == (D.FAILED, WORKER_LOST)
    assert "Please request it again." in login(member).get(LIST).content.decode()


def test_leased_tasks_are_stopped_by_celery_before_their_lease_runs_out(settings):
    for task, lease in (
        (render_document, settings.DOCUMENT_RENDER_LEASE),
        (build_data_export, settings.DATA_EXPORT_LEASE),
    ):
        assert 0 < task.soft_time_limit < task.time_limit < lease.total_seconds()


# -- data exports ------------------------------------------------------------------


def test_an_export_whose_worker_died_is_built_again_and_shows_retrying(
    member, login, settings, new_files, django_capture_on_commit_callbacks
):
    export, _created = data_export_request(member=member, language="en")
    lease_take(
        DataExport.objects.all(),
        pk=export.pk,
        waiting=[E.QUEUED],
        working=E.WORKING,
        lease=settings.DATA_EXPORT_LEASE,
    )
    lease_over = settings.DATA_EXPORT_LEASE.total_seconds() / 60 + 1

    with _after_lease(minutes=lease_over):
        page = login(member).get(EXPORT).content.decode()
        assert "Retrying" in page
        with django_capture_on_commit_callbacks(execute=True):
            assert requeue_stuck_exports() == 1

    export.refresh_from_db()
    assert (export.status, export.attempts) == (E.READY, 2)
    assert new_files("*.zip") == [export.file.name.rsplit("/", 1)[1]]


def test_a_late_export_worker_keeps_no_file(member, settings, new_files, monkeypatch):
    export, _created = data_export_request(member=member, language="en")
    from privacy import services

    real_write = services.write_export

    def slow_write(spool, **kwargs):
        monkeypatch.setattr(services, "write_export", real_write)
        lease_over = settings.DATA_EXPORT_LEASE + timedelta(minutes=1)
        with time_machine.travel(timezone.now() + lease_over):
            assert data_export_build(export_id=export.pk) is not None
        return real_write(spool, **kwargs)

    monkeypatch.setattr(services, "write_export", slow_write)

    assert data_export_build(export_id=export.pk) is None
    export.refresh_from_db()
    assert (export.status, export.attempts) == (E.READY, 2)
    assert new_files("*.zip") == [export.file.name.rsplit("/", 1)[1]]
