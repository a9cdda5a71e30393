"""WeasyPrint loads nothing but the portal's own static files.

A PDF template is replaced by one that names an HTTP server on this machine
(which counts what it is asked for) and local files; the document still
renders, nothing is fetched and nothing of those files is in the PDF.
"""

import http.server
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from documents.fetcher import StaticOnlyFetcher
from documents.models import GeneratedDocument
from documents.services import document_render, document_request

pytestmark = pytest.mark.django_db

CARD = GeneratedDocument.Kind.MEMBERSHIP_CARD
HOSTILE_CARD = """
<html><head>
<link rel="stylesheet" href="{server}/linked.css">
<style>
  @import url("{server}/imported.css");
  body {{ background: url("file:///etc/passwd"); }}
  @font-face {{ font-family: Evil; src: url("{server}/font.woff2"); }}
</style>
</head><body>
<p>Kartu peserta</p>
<img src="{server}/pixel.png" alt="">
<img src="file:///etc/passwd" alt="">
<img src="/static/../../../../../etc/passwd" alt="">
<object data="file:///etc/hostname"></object>
</body></html>
"""


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 -- http.server's name
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    _Counting.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", _Counting.requests
    server.shutdown()
    server.server_close()


@pytest.fixture
def hostile_template(settings, tmp_path, local_server):
    url, _requests = local_server
    folder = tmp_path / "documents" / "pdf"
    folder.mkdir(parents=True)
    (folder / f"{CARD}.html").write_text(HOSTILE_CARD.format(server=url))
    engine = {**settings.TEMPLATES[0]}
    engine["DIRS"] = [tmp_path, *engine["DIRS"]]
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]


def test_a_template_naming_urls_and_local_files_renders_without_fetching(
    member, hostile_template, local_server
):
    _url, requests = local_server
    document = document_request(member=member, kind=CARD, params={}, language="en")

    document_render(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.READY
    assert requests == []
    with document.file.open("rb") as file:
        pdf = file.read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kartu peserta" in text
    assert b"root:" not in pdf


def _static_url(name: str) -> str:
    return f"{settings.SITE_URL}/{settings.STATIC_URL.strip('/')}/{name}"


def test_the_portals_own_static_files_are_served():
    response = StaticOnlyFetcher().fetch(_static_url("css/site.css"))

    assert (
        response.read()
        == (Path(settings.BASE_DIR) / "static/css/site.css").read_bytes()
    )
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/secret",
        "https://evil.example/x.css",
        "ftp://evil.example/x.css",
        _static_url("../ibsu/settings.py"),
        _static_url("..%2Fibsu%2Fsettings.py"),
        _static_url("no-such-file.css"),
        f"{settings.SITE_URL}/admin/",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(Exception):  # noqa: B017 -- WeasyPrint catches any
        StaticOnlyFetcher().fetch(url)
