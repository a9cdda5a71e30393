"""Checking uploaded claim documents by their content, never by their name."""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

# Magic numbers of the accepted formats, and Pillow's name for the images.
_SIGNATURES = [
    (b"%PDF-", "application/pdf", None),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
]
# Decompression bombs: refuse images larger than a phone photo could be.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    sha256: str


def check_upload(upload) -> CheckedUpload:
    """The upload's content if it is a PDF, PNG or JPEG within the size limit.

    Images are decoded and re-encoded, which drops anything hidden after the
    picture and the photo's metadata (location, camera).
    """
    if upload.size > settings.CLAIM_UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.")
            % {"mb": settings.CLAIM_UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    content = upload.read(settings.CLAIM_UPLOAD_MAX_BYTES + 1)
    if len(content) > settings.CLAIM_UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is too large."), code="too_large")
    for signature, content_type, image_format in _SIGNATURES:
        if content.startswith(signature):
            if image_format:
                content = _reencoded(content, image_format)
            elif b"%%EOF" not in content[-2048:]:
                raise ValidationError(
                    _("This PDF file is damaged or incomplete."), code="bad_pdf"
                )
            return CheckedUpload(
                content, content_type, hashlib.sha256(content).hexdigest()
            )
    raise ValidationError(
        _("Upload a PDF, JPEG or PNG file. This file is of another type."),
        code="bad_type",
    )


def _reencoded(content: bytes, image_format: str) -> bytes:
    # Importing WeasyPrint (documents rendered in this process) makes Pillow
    # fill in truncated images for the whole process: a damaged scan must
    # still be refused. Our PDFs only embed images we made whole.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."), code="too_large")
            image.load()
            out = io.BytesIO()
            clean = image.convert("RGB") if image_format == "JPEG" else image
            clean.save(out, format=image_format)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("This image file is damaged."), code="bad_image"
        ) from error
    return out.getvalue()
