import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibsu.lib.leases import LeasedWork
from ibsu.lib.storage import private_storage

# Verification codes avoid look-alike characters so they can be typed from paper.
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))


def random_name(document, filename: str) -> str:
    return f"documents/{document.member_id}/{uuid.uuid4().hex}.pdf"


class GeneratedDocument(LeasedWork):
    class Kind(models.TextChoices):
        CONTRIBUTION_STATEMENT = "contribution_statement", _("Contribution statement")
        JHT_STATEMENT = "jht_statement", _("JHT balance statement")
        MEMBERSHIP_CARD = "membership_card", _("Digital membership card")
        CLAIM_RECEIPT = "claim_receipt", _("Claim receipt and decision")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RENDERING = "rendering", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document"), max_length=30, choices=Kind)
    params = models.JSONField(_("for"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED
    )
    data_hash = models.CharField(
        _("data fingerprint"), max_length=64, help_text=_("Same data, same file.")
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=random_name, blank=True
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    code = models.CharField(
        _("verification code"),
        max_length=12,
        unique=True,
        default=new_verification_code,
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    notify_when_ready = models.BooleanField(
        _("email the member when ready"), default=False
    )
    notified_at = models.DateTimeField(_("member emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["member", "kind", "data_hash"], name="documents_reuse"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:8]}-{self.code[8:]}"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RENDERING}
