import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contributions.models import Programme
from ibsu.lib.models import MaintainedFieldsMixin
from ibsu.lib.storage import private_storage


class Claim(MaintainedFieldsMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFYING = "verifying", _("Being verified")
        NEEDS_INFO = "needs_info", _("More information needed")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Reason(models.TextChoices):
        RESIGNATION = "resignation", _("Resigned")
        DISMISSAL = "dismissal", _("Dismissed")
        CONTRACT_END = "contract_end", _("Contract ended")
        AGE = "age", _("Reached the age")
        DISABILITY = "disability", _("Total permanent disability")
        LEAVING_INDONESIA = "leaving_indonesia", _("Leaving Indonesia permanently")
        PARTIAL_RETIREMENT = "partial_10", _("Partial 10% (retirement preparation)")
        PARTIAL_HOUSING = "partial_30", _("Partial 30% (housing)")
        ACCIDENT = "accident", _("Work accident")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims"
    )
    programme = models.CharField(_("programme"), max_length=3, choices=Programme)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT, db_index=True
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(
        _("account number"), max_length=30, blank=True
    )
    bank_account_holder = models.CharField(
        _("account holder"), max_length=150, blank=True
    )
    holder_differs_reason = models.CharField(
        _("why the account holder differs from your name"), max_length=300, blank=True
    )
    approved_amount = models.BigIntegerField(
        _("approved amount (Rp)"), null=True, blank=True
    )
    payment_reference = models.CharField(
        _("payment reference"), max_length=100, blank=True
    )
    # The day the money left: a paid partial JHT claim leaves the balance from
    # this day (contributions.balance).
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Moves with every change to the claim's documents or events, in the same
    # transaction: the key of their cached copy (claims/history.py).
    history_version = models.PositiveIntegerField(default=0, editable=False)

    maintained_fields = ("history_version",)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-created_at"]
        permissions = [
            ("decide_claim", _("Can verify, approve, reject and pay claims"))
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="claims_member_created")
        ]
        constraints = [
            # One draft per programme and reason: a double click resumes it.
            models.UniqueConstraint(
                fields=["member", "programme", "reason"],
                condition=models.Q(status="draft"),
                name="claims_claim_one_draft_per_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_amount__isnull=True)
                | models.Q(approved_amount__gte=0),
                name="claims_claim_amount_not_negative",
            ),
            # A paid claim says how much and when: the JHT balance needs both.
            models.CheckConstraint(
                condition=~models.Q(status="paid")
                | models.Q(approved_amount__isnull=False, paid_on__isnull=False),
                name="claims_claim_paid_has_amount_and_date",
                violation_error_message=_(
                    "A paid claim needs its approved amount and payment date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The claim number members quote: KLM-<year>-<id>."""
        return f"KLM-{timezone.localtime(self.created_at):%Y}-{self.pk:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.NEEDS_INFO}


def random_name(document, filename: str) -> str:
    # Never the member's file name: it may hold personal data or path tricks.
    return f"claims/{document.claim_id}/{uuid.uuid4().hex}"


class ClaimDocument(models.Model):
    class Kind(models.TextChoices):
        ID_CARD = "id_card", _("ID card (KTP)")
        FAMILY_CARD = "family_card", _("Family card (KK)")
        TERMINATION_LETTER = "termination_letter", _("Termination letter (paklaring)")
        BANK_BOOK = "bank_book", _("Bank book, first page")
        NPWP = "npwp", _("Tax number card (NPWP)")
        PASSPORT = "passport", _("Passport")
        NO_LONGER_WORKING = (
            "no_longer_working",
            _("Statement that you no longer work in Indonesia"),
        )
        DOCTOR_CERTIFICATE = "doctor_certificate", _("Doctor's certificate")
        HOUSING_AGREEMENT = (
            "housing_agreement",
            _("Purchase agreement or mortgage papers"),
        )
        ACCIDENT_REPORT = "accident_report", _("Employer's accident report")
        CHRONOLOGY = "chronology", _("Account of how the accident happened")
        RECEIPTS = "receipts", _("Medical receipts")
        OTHER = "other", _("Other document")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=30, choices=Kind)
    file = models.FileField(_("file"), storage=private_storage, upload_to=random_name)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("claim document")
        verbose_name_plural = _("claim documents")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.original_name})"


class ClaimEvent(models.Model):
    """One step in a claim's history: who moved it from which status to which."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from"), max_length=12, choices=Claim.Status, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=Claim.Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note for the member"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
