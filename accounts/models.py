from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from accounts.managers import MemberManager
from accounts.provinces import PROVINCES
from accounts.validators import validate_kpj, validate_nik


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Member(AbstractBaseUser, PermissionsMixin):
    """A BPJS Ketenagakerjaan member; staff are members with is_staff."""

    class Language(models.TextChoices):
        INDONESIAN = "id", "Bahasa Indonesia"
        ENGLISH = "en", "English"

    kpj_number = models.CharField(
        _("member number (KPJ)"), max_length=11, unique=True, validators=[validate_kpj]
    )
    nik = models.CharField(
        _("national ID number (NIK)"),
        max_length=16,
        unique=True,
        validators=[validate_nik],
    )
    full_name = models.CharField(_("full name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("email address"), blank=True)
    email_verified = models.BooleanField(_("email verified"), default=False)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus, blank=True
    )
    address_street = models.CharField(_("street address"), max_length=200, blank=True)
    address_district = models.CharField(
        _("district (kecamatan)"), max_length=100, blank=True
    )
    address_city = models.CharField(_("city or regency"), max_length=100, blank=True)
    address_province = models.CharField(
        _("province"), max_length=2, choices=PROVINCES, blank=True
    )
    address_postcode = models.CharField(
        _("postcode"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{5}$", _("A postcode has 5 digits."))],
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=Language,
        default=Language.INDONESIAN,
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    failed_login_count = models.PositiveSmallIntegerField(
        _("consecutive failed logins"), default=0
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    objects = MemberManager()

    USERNAME_FIELD = "kpj_number"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["nik", "full_name", "date_of_birth", "email"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_member_email_ci_unique",
                violation_error_message=_("This email address is already in use."),
            ),
            models.CheckConstraint(
                condition=models.Q(kpj_number__regex=r"^[0-9]{11}$"),
                name="accounts_member_kpj_11_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(nik__regex=r"^[0-9]{16}$"),
                name="accounts_member_nik_16_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.kpj_number})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def first_name(self) -> str:
        return self.full_name.split(" ", 1)[0]

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name


class LoginEvent(models.Model):
    """One login attempt, successful or not."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Signed in")
        PASSWORD_OK = "password_ok", _("Password correct, waiting for the second step")
        BAD_PASSWORD = "bad_password", _("Wrong password")
        UNKNOWN_ACCOUNT = "unknown_account", _("Unknown account")
        LOCKED = "locked", _("Account locked")
        INACTIVE = "inactive", _("Account not active")
        CAPTCHA_FAILED = "captcha_failed", _("CAPTCHA failed")
        BAD_OTP = "bad_otp", _("Wrong verification code")
        THROTTLED = "throttled", _("Too many attempts from this address")

    # Outcomes that count toward the per-address throttle.
    FAILURES = (
        Outcome.BAD_PASSWORD,
        Outcome.UNKNOWN_ACCOUNT,
        Outcome.LOCKED,
        Outcome.INACTIVE,
        Outcome.CAPTCHA_FAILED,
        Outcome.BAD_OTP,
    )

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    identifier = models.CharField(_("identifier tried"), max_length=254, blank=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="login_events",
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)

    class Meta:
        verbose_name = _("login event")
        verbose_name_plural = _("login events")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["member", "-created_at"], name="accounts_login_member_time"
            ),
            models.Index(fields=["ip", "created_at"], name="accounts_login_ip_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.outcome} {self.identifier}"

    @property
    def is_failure(self) -> bool:
        return self.outcome != self.Outcome.SUCCESS


class BackupCodeDevice(ThrottlingMixin, Device):
    """Single-use backup codes for a member who lost their authenticator.

    django-otp's StaticDevice keeps codes in plain text; these are hashed with
    the password hasher, so a database leak does not leak working codes.
    """

    class Meta(Device.Meta):
        verbose_name = _("backup code set")
        verbose_name_plural = _("backup code sets")

    def get_throttle_factor(self) -> int:
        return settings.OTP_BACKUP_CODE_THROTTLE_FACTOR

    @property
    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()

    def verify_token(self, token) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        normalized = normalize_backup_code(str(token))
        for code in self.codes.filter(used_at__isnull=True):
            if check_password(normalized, code.code_hash):
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                self.throttle_reset()
                return True
        self.throttle_increment()
        return False


def normalize_backup_code(token: str) -> str:
    """Codes are shown as XXXXX-XXXXX; accept them in any case, with or without dash."""
    return "".join(ch for ch in token.upper() if ch.isalnum())


class BackupCode(models.Model):
    device = models.ForeignKey(
        BackupCodeDevice, on_delete=models.CASCADE, related_name="codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self) -> str:
        return _("used") if self.used_at else _("unused")


class Heir(models.Model):
    """Someone the member names to receive benefits (ahli waris)."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        GRANDCHILD = "grandchild", _("Grandchild")
        SIBLING = "sibling", _("Brother or sister")
        PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
        OTHER = "other", _("Other person named in a will")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="heirs")
    full_name = models.CharField(_("full name"), max_length=150)
    nik = models.CharField(
        _("national ID number (NIK)"), max_length=16, validators=[validate_nik]
    )
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship
    )
    date_of_birth = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    share_percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("heir")
        verbose_name_plural = _("heirs")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "nik"], name="accounts_heir_once_per_member"
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(relationship="spouse"),
                name="accounts_heir_one_spouse",
            ),
            models.CheckConstraint(
                condition=models.Q(share_percent__gte=1, share_percent__lte=100),
                name="accounts_heir_share_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"
