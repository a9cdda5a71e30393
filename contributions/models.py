from django.conf import settings
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
            "to find its minimum wage."
        ),
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
    """One employer's report for one member and month. Money is integer rupiah."""

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
    jkp = models.BigIntegerField(_("JKP"), default=0)
    paid_date = models.DateField(_("paid on"), null=True, blank=True)

    AMOUNT_FIELDS = (
        "jht_employer",
        "jht_employee",
        "jp_employer",
        "jp_employee",
        "jkk",
        "jkm",
        "jkp",
    )
    # Which amount fields belong to each programme, for filters and totals.
    PROGRAMME_FIELDS = {
        Programme.JHT: ("jht_employer", "jht_employee"),
        Programme.JP: ("jp_employer", "jp_employee"),
        Programme.JKK: ("jkk",),
        Programme.JKM: ("jkm",),
        Programme.JKP: ("jkp",),
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
                & models.Q(jkm__gte=0)
                & models.Q(jkp__gte=0),
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


class StatutoryRate(models.Model):
    """A contribution rate in force from a date, until a later row replaces it."""

    programme = models.CharField(_("programme"), max_length=3, choices=Programme)
    payer = models.CharField(_("paid by"), max_length=8, choices=Payer)
    risk_class = models.PositiveSmallIntegerField(
        _("JKK risk class"), choices=RiskClass, null=True, blank=True
    )
    effective_from = models.DateField(_("in force from"))
    percent = models.DecimalField(
        _("rate (percent of wage)"), max_digits=6, decimal_places=3
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("statutory rate")
        verbose_name_plural = _("statutory rates")
        ordering = ["programme", "payer", "risk_class", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "payer", "risk_class", "effective_from"],
                condition=models.Q(risk_class__isnull=False),
                name="contributions_statutoryrate_one_per_class_and_date",
            ),
            models.UniqueConstraint(
                fields=["programme", "payer", "effective_from"],
                condition=models.Q(risk_class__isnull=True),
                name="contributions_statutoryrate_one_per_date",
            ),
        ]

    def __str__(self) -> str:
        risk = f" class {self.risk_class}" if self.risk_class else ""
        start = self.effective_from
        return f"{self.programme} {self.payer}{risk} {self.percent}% from {start}"


class WageCap(models.Model):
    """The JP wage cap (upah batas atas), in force from each March."""

    effective_from = models.DateField(_("in force from"), unique=True)
    amount = models.BigIntegerField(_("cap (Rp)"))
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Untick for figures not yet confirmed."),
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("JP wage cap")
        verbose_name_plural = _("JP wage caps")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"Rp {self.amount:,} from {self.effective_from}"


class DevelopmentRate(models.Model):
    """The JHT development return credited for a calendar year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    percent = models.DecimalField(_("return (%)"), max_digits=5, decimal_places=2)
    is_demo = models.BooleanField(
        _("demo figure"),
        default=False,
        help_text=_("A plausible value, not the real one."),
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("JHT development rate")
        verbose_name_plural = _("JHT development rates")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.percent}%"


class MinimumWage(models.Model):
    """A province's minimum wage (UMP) for a year, for the low-wage check."""

    province_code = models.CharField(_("province code"), max_length=2)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("minimum wage (Rp)"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["province_code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "year"],
                name="contributions_minimumwage_one_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_code} {self.year}: Rp {self.amount:,}"
