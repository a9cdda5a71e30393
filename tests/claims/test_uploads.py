"""Claim documents: checked by content, re-encoded, stored privately, served
only to the member and to staff who handle claims."""

import hashlib
import html
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from claims.models import Claim, ClaimDocument
from claims.uploads import check_upload
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

K = ClaimDocument.Kind
PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
WRONG_TYPE = "Upload a PDF, JPEG or PNG file. This file is of another type."
DAMAGED_IMAGE = "This image file is damaged."


def png_bytes(size=(60, 40), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="PNG", **options)
    return out.getvalue()


def jpeg_bytes(**options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 120, 30)).save(out, format="JPEG", **options)
    return out.getvalue()


def camera_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Maker"  # Make
    exif[0x0110] = "SecretCam X100"  # Model
    exif[0x0131] = "LeakySoft 1.0"  # Software
    return exif.tobytes()


def file_of(content: bytes, name: str, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> set[Path]:
    return {path for path in Path(settings.PRIVATE_ROOT).rglob("*") if path.is_file()}


def page_text(response) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def body(response) -> bytes:
    """The whole streamed body, which also closes the file behind it."""
    return b"".join(response.streaming_content)


@pytest.fixture
def claim(member):
    return Claim.objects.create(member=member, programme="JKK", reason="accident")


@pytest.fixture
def upload(client, login, member, claim):
    """The member, signed in, uploads a file to their draft claim."""
    login(member)

    def _upload(file, kind=K.ID_CARD, to=claim):
        return client.post(
            reverse("claims:upload", args=[to.pk]), {"kind": kind, "file": file}
        )

    return _upload


# --- Accepted files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "ktp.pdf", "application/pdf"),
        (jpeg_bytes(), "ktp.jpg", "image/jpeg"),
        (png_bytes(), "ktp.png", "image/png"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted(upload, claim, content, name, content_type):
    before = stored_files()

    response = upload(file_of(content, name, content_type))

    assert response.status_code == 302
    assert response.url == reverse("claims:detail", args=[claim.pk])
    document = ClaimDocument.objects.get()
    assert (document.claim, document.kind) == (claim, K.ID_CARD)
    assert document.content_type == content_type
    assert document.original_name == name
    stored = Path(document.file.path).read_bytes()
    assert document.size == len(stored)
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert stored_files() - before == {Path(document.file.path)}


def test_a_pdf_is_stored_as_sent(upload):
    upload(file_of(PDF, "surat.pdf"))

    document = ClaimDocument.objects.get()
    assert Path(document.file.path).read_bytes() == PDF
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()


def test_the_content_decides_the_type_not_the_name(upload):
    upload(file_of(png_bytes(), "scan.pdf", "application/pdf"))

    assert ClaimDocument.objects.get().content_type == "image/png"


# --- Refused files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"Surat keterangan kerja\nPT Contoh\n", "paklaring.pdf"),
        (b"<!doctype html><html><script>alert(1)</script></html>", "ktp.pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "ktp.png"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "ktp.jpg"),
        (b"PK\x03\x04 zip archive", "ktp.pdf"),
    ],
)
def test_other_file_types_are_refused_whatever_their_name(upload, claim, content, name):
    before = stored_files()

    response = upload(file_of(content, name))

    assert response.status_code == 400
    assert WRONG_TYPE in page_text(response)
    assert not ClaimDocument.objects.exists()
    assert stored_files() == before


def test_a_file_over_the_limit_is_refused(upload):
    big = PDF[:-6] + b" " * (settings.CLAIM_UPLOAD_MAX_BYTES + 1 - len(PDF)) + PDF[-6:]
    assert len(big) == 5 * 1024 * 1024 + 1
    before = stored_files()

    response = upload(file_of(big, "besar.pdf"))

    assert response.status_code == 400
    assert "The file is larger than 5 MB." in page_text(response)
    assert not ClaimDocument.objects.exists()
    assert stored_files() == before


def test_a_file_of_exactly_the_limit_is_accepted():
    exact = PDF[:-6] + b" " * (settings.CLAIM_UPLOAD_MAX_BYTES - len(PDF)) + PDF[-6:]
    assert len(exact) == settings.CLAIM_UPLOAD_MAX_BYTES

    checked = check_upload(file_of(exact, "pas.pdf"))

    assert checked.content_type == "application/pdf"
    assert len(checked.content) == settings.CLAIM_UPLOAD_MAX_BYTES


def test_the_limit_is_a_setting(upload, settings):
    settings.CLAIM_UPLOAD_MAX_BYTES = len(PDF)

    assert upload(file_of(PDF + b"\n", "a.pdf")).status_code == 400
    assert upload(file_of(PDF, "b.pdf")).status_code == 302
    assert ClaimDocument.objects.get().original_name == "b.pdf"


def test_a_file_whose_size_is_understated_is_still_refused(settings):
    settings.CLAIM_UPLOAD_MAX_BYTES = len(PDF)
    upload = file_of(PDF + b" " * 10, "a.pdf")
    upload.size = 10  # what a lying client might claim

    with pytest.raises(ValidationError) as refused:
        check_upload(upload)

    assert refused.value.code == "too_large"


@pytest.mark.parametrize(
    "content",
    [
        png_bytes((200, 200))[:300],  # cut off in the middle of the picture
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 200,  # the signature and then garbage
        jpeg_bytes()[:120],
    ],
    ids=["truncated png", "corrupt png", "truncated jpeg"],
)
def test_damaged_images_are_refused(upload, content):
    before = stored_files()

    response = upload(file_of(content, "rusak.png", "image/png"))

    assert response.status_code == 400
    assert DAMAGED_IMAGE in page_text(response)
    assert not ClaimDocument.objects.exists()
    assert stored_files() == before


def test_a_damaged_image_is_refused_after_weasyprint_is_loaded(upload, monkeypatch):
    # What importing WeasyPrint does to the whole process.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    response = upload(file_of(png_bytes((200, 200))[:300], "rusak.png", "image/png"))

    assert response.status_code == 400
    assert DAMAGED_IMAGE in page_text(response)
    assert not ClaimDocument.objects.exists()


def test_a_pdf_cut_off_before_its_end_is_refused(upload):
    response = upload(file_of(PDF[: len(PDF) // 2], "setengah.pdf"))

    assert response.status_code == 400
    assert "This PDF file is damaged or incomplete." in page_text(response)
    assert not ClaimDocument.objects.exists()


# --- Re-encoding ------------------------------------------------------------------


def stored_bytes() -> bytes:
    return Path(ClaimDocument.objects.get().file.path).read_bytes()


def test_bytes_hidden_after_a_png_are_dropped(upload):
    hidden = b"<?php system($_GET['c']); ?> SECRET-TRAILER"

    upload(file_of(png_bytes() + hidden, "ktp.png", "image/png"))

    stored = stored_bytes()
    assert b"SECRET-TRAILER" not in stored
    assert stored.endswith(b"IEND\xaeB`\x82")
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("PNG", (60, 40))


def test_bytes_hidden_after_a_jpeg_are_dropped(upload):
    upload(file_of(jpeg_bytes() + b"SECRET-TRAILER", "ktp.jpg", "image/jpeg"))

    stored = stored_bytes()
    assert b"SECRET-TRAILER" not in stored
    assert stored.endswith(b"\xff\xd9")


def test_photo_metadata_is_dropped_from_a_jpeg(upload):
    original = jpeg_bytes(exif=camera_exif())
    assert b"SecretCam" in original

    upload(file_of(original, "foto.jpg", "image/jpeg"))

    stored = stored_bytes()
    assert b"SecretCam" not in stored
    assert b"LeakySoft" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (60, 40)
        assert not image.getexif()


def test_metadata_is_dropped_from_a_png(upload):
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Comment", "SecretCam location -6.2,106.8")
    original = png_bytes(exif=camera_exif(), pnginfo=text)
    assert b"SecretCam" in original

    upload(file_of(original, "foto.png", "image/png"))

    assert b"SecretCam" not in stored_bytes()


def test_stored_hash_and_size_are_of_the_reencoded_bytes(upload):
    original = png_bytes() + b"trailing"

    upload(file_of(original, "ktp.png", "image/png"))

    document = ClaimDocument.objects.get()
    stored = stored_bytes()
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.sha256 != hashlib.sha256(original).hexdigest()
    assert document.size == len(stored)


# --- Where files live --------------------------------------------------------------


def test_files_get_a_random_name_inside_the_private_root(upload, claim):
    name = "KTP Siti Rahayu 3171015503900001.png"

    upload(file_of(png_bytes(), name, "image/png"))
    upload(file_of(png_bytes(), name, "image/png"))

    first, second = ClaimDocument.objects.all()
    assert first.file.name != second.file.name
    private = Path(settings.PRIVATE_ROOT).resolve()
    for document in (first, second):
        assert re.fullmatch(rf"claims/{claim.pk}/[0-9a-f]{{32}}", document.file.name)
        assert "Siti" not in document.file.name
        assert "3171015503900001" not in document.file.name
        path = Path(document.file.path).resolve()
        assert path.is_relative_to(private)
        assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
        assert not any(
            path.is_relative_to(Path(folder).resolve())
            for folder in settings.STATICFILES_DIRS
        )
        assert document.original_name == name


def test_a_path_in_the_file_name_cannot_escape_the_private_root(upload, claim):
    upload(file_of(png_bytes(), "../../../static/evil.png", "image/png"))

    document = ClaimDocument.objects.get()
    assert re.fullmatch(rf"claims/{claim.pk}/[0-9a-f]{{32}}", document.file.name)
    assert (
        Path(document.file.path)
        .resolve()
        .is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    )
    assert "/" not in document.original_name


def test_stored_files_are_not_reachable_by_address(client, upload):
    upload(file_of(PDF, "ktp.pdf"))
    name = ClaimDocument.objects.get().file.name
    client.post(reverse("accounts:logout"))

    for address in (
        f"/{name}",
        f"/private/{name}",
        f"/media/{name}",
        f"/{settings.STATIC_URL.strip('/')}/{name}",
    ):
        assert client.get(address).status_code == 404, address


# --- Downloads ----------------------------------------------------------------------


@pytest.fixture
def documents(claim):
    """One document of each type on the member's claim, keyed by extension."""
    from claims import services

    found = {}
    for extension, kind, content, content_type in (
        ("pdf", K.TERMINATION_LETTER, PDF, "application/pdf"),
        ("jpg", K.DOCTOR_CERTIFICATE, jpeg_bytes(), "image/jpeg"),
        ("png", K.ID_CARD, png_bytes(), "image/png"),
    ):
        found[extension] = services.claim_document_add(
            claim=claim,
            kind=kind,
            upload=file_of(content, f"my <scan>; name=x.{extension}", content_type),
        )
    return found


def download(client, document):
    return client.get(reverse("claims:document", args=[document.claim_id, document.pk]))


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [("pdf", "application/pdf"), ("jpg", "image/jpeg"), ("png", "image/png")],
)
def test_owner_downloads_as_attachment_with_a_safe_name(
    client, login, member, claim, documents, extension, content_type
):
    document = documents[extension]
    login(member)

    response = download(client, document)

    assert response.status_code == 200
    name = f"{claim.number}-{document.kind}.{extension}"
    assert re.fullmatch(r"KLM-\d{4}-\d{6}-[a-z_]+\.(pdf|jpg|png)", name)
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert body(response) == Path(document.file.path).read_bytes()


def test_another_member_cannot_download(client, login, other_member, documents):
    login(other_member)

    for document in documents.values():
        assert download(client, document).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, documents):
    response = download(client, documents["pdf"])

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_staff_with_claims_permission_can_download(
    client, login, verified_staff, documents
):
    login(verified_staff)

    response = download(client, documents["pdf"])

    assert response.status_code == 200
    assert body(response) == PDF


def staff_in(group: str, enable_totp):
    user = MemberFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    enable_totp(user)
    return user


def test_claims_officer_can_download(client, login, enable_totp, documents):
    login(staff_in("Claims officer", enable_totp))

    response = download(client, documents["png"])

    assert response.status_code == 200
    assert body(response) == Path(documents["png"].file.path).read_bytes()


def test_member_support_cannot_download(client, login, enable_totp, documents):
    support = staff_in("Member support", enable_totp)
    assert not support.has_perm("claims.view_claimdocument")
    login(support)

    for document in documents.values():
        assert download(client, document).status_code == 404


def test_the_permission_without_staff_status_is_not_enough(
    client, login, other_member, documents
):
    other_member.groups.add(Group.objects.get(name="Claims officer"))
    login(other_member)

    assert download(client, documents["pdf"]).status_code == 404
