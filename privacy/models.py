import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ibsu.lib.leases import LeasedWork
from ibsu.lib.storage import private_storage


def random_name(export, filename: str) -> str:
    # Nothing in the name says whose data it is.
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExport(LeasedWork):
    """A member's copy of everything the portal holds about them (UU 27/2022).

    Made by a Celery task, downloadable by the member alone until expires_at;
    `manage.py cleanup` then deletes the file and the row.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        WORKING = "working", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        PROFILE = "profile", _("Your profile")
        HEIRS = "heirs", _("Your heirs")
        EMPLOYMENTS = "employments", _("Your employers")
        CONTRIBUTIONS = "contributions", _("Contributions")
        CLAIMS = "claims", _("Claims")
        DOCUMENTS = "documents", _("Documents made for you")
        LOGIN_EVENTS = "login_events", _("Login history")
        CHANGES = "changes", _("Change history")
        PACKING = "packing", _("Packing the file")

    PENDING = (Status.QUEUED, Status.WORKING)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED
    )
    step = models.CharField(_("progress"), max_length=20, choices=Step, blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=random_name, blank=True
    )
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second request while one is being made gets that one back.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["queued", "working"]),
                name="privacy_dataexport_one_pending_per_member",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready")
                | models.Q(expires_at__isnull=False),
                name="privacy_dataexport_ready_has_expiry",
            ),
        ]
        indexes = [
            models.Index(
                fields=["member", "-created_at"], name="privacy_export_member"
            ),
            models.Index(fields=["expires_at"], name="privacy_export_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.created_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.READY and not self.is_expired

    @property
    def step_number(self) -> int:
        """1-based position of the current step, for "step 3 of 9"."""
        return self.Step.values.index(self.step) + 1 if self.step else 0

    @property
    def step_count(self) -> int:
        return len(self.Step.values)
