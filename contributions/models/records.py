from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    JHT = "JHT", _("Old-age savings (JHT)")
    JP = "JP", _("Pension (JP)")
    JKK = "JKK", _("Work accident (JKK)")
    JKM = "JKM", _("Death (JKM)")
    JKP = "JKP", _("Job loss (JKP)")


class Payer(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    EMPLOYEE = "employee", _("employee")


class RiskClass(models.IntegerChoices):
    """JKK risk classes of PP 44/2015, from very low to very high."""

    VERY_LOW = 1, _("very low")
    LOW = 2, _("low")
    MEDIUM = 3, _("medium")
    HIGH = 4, _("high")
    VERY_HIGH = 5, _("very high")


class Industry(models.TextChoices):
    """The labour-intensive industries that relief periods name (PP 7/2025 art. 2)."""

    FOOD = "food", _("Food, beverages and tobacco")
    TEXTILES = "textiles", _("Textiles and clothing")
    LEATHER = "leather", _("Leather and leather goods")
    FOOTWEAR = "footwear", _("Footwear")
    TOYS = "toys", _("Children's toys")
    FURNITURE = "furniture", _("Furniture")
    OTHER = "other", _("Other industries")


class Employer(models.Model):
    npp = models.CharField(
        _("employer registration number (NPP)"), max_length=20, unique=True
    )
    name = models.CharField(_("name"), max_length=200)
    risk_class = models.PositiveSmallIntegerField(
        _("JKK risk class"), choices=RiskClass, default=RiskClass.VERY_LOW
    )
    province_code = models.CharField(
        _("province code"),
        max_length=2,
        help_text=_(
            "The first two digits of NIKs issued in the province, "
            "to find its provincial minimum wage (UMP)."
        ),
    )
    regency_code = models.CharField(
        _("regency or city code"),
        max_length=4,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9]{4}$", _("A regency or city code has 4 digits."))
        ],
        help_text=_(
            "Home Affairs code of the regency or city where the employee works "
            "(3275 is Kota Bekasi), to find its minimum wage (UMK)."
        ),
    )
    industry = models.CharField(
        _("industry"),
        max_length=20,
        choices=Industry,
        default=Industry.OTHER,
        help_text=_("Relief periods for some industries depend on it."),
    )

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.npp})"


class Employment(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employments"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employments"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="contributions_employment_end_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["member", "start"], name="contrib_employment_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.employer_id} {self.start}–{self.end or ''}"


class Contribution(models.Model):
    """One employer's report for one member and month. Money is integer rupiah.

    There is no JKP amount: employers pay nothing for JKP (PP 37/2021 art. 11,
    PP 6/2025); its cover is financed inside BPJS (statutory.JkpFunding).
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions"
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="contributions"
    )
    period = models.DateField(_("period"), help_text=_("The first day of the month."))
    wage = models.BigIntegerField(_("reported wage"))
    jht_employer = models.BigIntegerField(_("JHT, employer"), default=0)
    jht_employee = models.BigIntegerField(_("JHT, employee"), default=0)
    jp_employer = models.BigIntegerField(_("JP, employer"), default=0)
    jp_employee = models.BigIntegerField(_("JP, employee"), default=0)
    jkk = models.BigIntegerField(_("JKK"), default=0)
    jkm = models.BigIntegerField(_("JKM"), default=0)
    paid_date = models.DateField(_("paid on"), null=True, blank=True)

    AMOUNT_FIELDS = (
        "jht_employer",
        "jht_employee",
        "jp_employer",
        "jp_employee",
        "jkk",
        "jkm",
    )
    # Which amount fields belong to each programme, for filters and totals.
    PROGRAMME_FIELDS = {
        Programme.JHT: ("jht_employer", "jht_employee"),
        Programme.JP: ("jp_employer", "jp_employee"),
        Programme.JKK: ("jkk",),
        Programme.JKM: ("jkm",),
    }

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-period", "employer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "employer", "period"],
                name="contributions_contribution_one_per_month",
            ),
            models.CheckConstraint(
                condition=models.Q(period__day=1),
                name="contributions_contribution_period_day_1",
            ),
            models.CheckConstraint(
                condition=models.Q(wage__gte=0)
                & models.Q(jht_employer__gte=0)
                & models.Q(jht_employee__gte=0)
                & models.Q(jp_employer__gte=0)
                & models.Q(jp_employee__gte=0)
                & models.Q(jkk__gte=0)
                & models.Q(jkm__gte=0),
                name="contributions_contribution_amounts_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "-period"], name="contrib_member_period"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.employer_id} {self.period:%Y-%m}"

    @property
    def jht(self) -> int:
        return self.jht_employer + self.jht_employee

    @property
    def jp(self) -> int:
        return self.jp_employer + self.jp_employee

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.AMOUNT_FIELDS)
