"""The law as data: rates, caps, due dates, reliefs, holidays and minimum wages.

Each row carries the date it takes effect and its source, so next year's figures
are a row added in admin, not a code change (DOMAIN.md).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from contributions.models.records import Industry, Payer, Programme, RiskClass

_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


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
    """A regency's or city's minimum wage (UMK) or, with no regency, a province's
    (UMP), in force for a calendar year."""

    province_code = models.CharField(_("province code"), max_length=2)
    regency_code = models.CharField(
        _("regency or city code"),
        max_length=4,
        blank=True,
        help_text=_("Empty for the provincial minimum wage (UMP)."),
    )
    region_name = models.CharField(_("region"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.BigIntegerField(_("minimum wage (Rp)"))
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["province_code", "regency_code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "regency_code", "year"],
                name="contributions_minimumwage_one_per_region_and_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.region_name} {self.year}: Rp {self.amount:,}"

    @property
    def level(self) -> str:
        return "UMK" if self.regency_code else "UMP"


class WorkingDayShift(models.TextChoices):
    NEXT = "next", _("the next working day")
    PREVIOUS = "previous", _("the working day before")


class PaymentTerms(models.Model):
    """When a month's contributions are due, and the fine for paying late."""

    effective_from = models.DateField(
        _("for periods from"), unique=True, help_text=_("The first day of a month.")
    )
    due_day = models.PositiveSmallIntegerField(
        _("due by this day of the next month"),
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    if_not_working_day = models.CharField(
        _("when that is not a working day, due on"),
        max_length=8,
        choices=WorkingDayShift,
    )
    late_fine_percent = models.DecimalField(
        _("late fine (% a month)"), max_digits=5, decimal_places=2, validators=_PERCENT
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("payment terms")
        verbose_name_plural = _("payment terms")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        fine = self.late_fine_percent
        return f"day {self.due_day}, fine {fine}% from {self.effective_from}"


class ReliefPeriod(models.Model):
    """A regulation that lightened contributions for some months.

    A month inside it may be paid at the full or at the relieved figures: both
    are lawful, so neither raises a warning.
    """

    regulation = models.CharField(_("regulation"), max_length=100)
    first_period = models.DateField(_("first month"))
    last_period = models.DateField(_("last month"))
    industries = models.JSONField(
        _("industries"),
        default=list,
        blank=True,
        help_text=_("Empty: every employer."),
    )
    jkk_cut_percent = models.DecimalField(
        _("JKK cut (%)"), max_digits=5, decimal_places=2, default=0, validators=_PERCENT
    )
    jkm_cut_percent = models.DecimalField(
        _("JKM cut (%)"), max_digits=5, decimal_places=2, default=0, validators=_PERCENT
    )
    jp_deferred_percent = models.DecimalField(
        _("JP deferred (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=_PERCENT,
        help_text=_("Part of the JP contribution that could be paid later."),
    )
    jp_deferred_until = models.DateField(_("deferred JP due by"), null=True, blank=True)
    due_day = models.PositiveSmallIntegerField(
        _("due by this day of the next month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Empty: the usual payment terms."),
    )
    if_not_working_day = models.CharField(
        _("when that is not a working day, due on"),
        max_length=8,
        choices=WorkingDayShift,
        blank=True,
    )
    late_fine_percent = models.DecimalField(
        _("late fine (% a month)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_PERCENT,
    )
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("relief period")
        verbose_name_plural = _("relief periods")
        ordering = ["-first_period"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_period__gte=models.F("first_period")),
                name="contributions_reliefperiod_last_after_first",
            ),
            models.CheckConstraint(
                condition=models.Q(first_period__day=1, last_period__day=1),
                name="contributions_reliefperiod_whole_months",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.regulation}: {self.first_period:%Y-%m} – {self.last_period:%Y-%m}"
        )

    def clean(self):
        unknown = set(self.industries or []) - set(Industry.values)
        if unknown:
            raise ValidationError(
                {"industries": _("Unknown industries: %s") % ", ".join(sorted(unknown))}
            )

    def applies_to(self, period, industry: str) -> bool:
        in_time = self.first_period <= period <= self.last_period
        return in_time and (not self.industries or industry in self.industries)


class Holiday(models.Model):
    """A day on which contributions cannot fall due: payment moves past it."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public holiday")
        COLLECTIVE_LEAVE = "collective_leave", _("Collective leave (cuti bersama)")

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day}: {self.name}"


class JkpFunding(models.Model):
    """How job-loss cover (JKP) is financed. None of it is paid by the employer
    on top of the other programmes: it comes from the government and from part
    of the employer's JKK (and JKM) contributions, moved inside BPJS."""

    effective_from = models.DateField(_("in force from"), unique=True)
    percent = models.DecimalField(
        _("JKP contribution (% of wage)"), max_digits=5, decimal_places=3
    )
    wage_cap = models.BigIntegerField(_("wage cap (Rp)"))
    government_percent = models.DecimalField(
        _("paid by the government (%)"), max_digits=5, decimal_places=3
    )
    from_jkk_percent = models.DecimalField(
        _("moved from JKK (%)"), max_digits=5, decimal_places=3
    )
    from_jkm_percent = models.DecimalField(
        _("moved from JKM (%)"), max_digits=5, decimal_places=3
    )
    confirmed = models.BooleanField(_("confirmed"), default=True)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("JKP funding")
        verbose_name_plural = _("JKP funding")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"JKP {self.percent}% from {self.effective_from}"

    def clean(self):
        parts = self.government_percent + self.from_jkk_percent + self.from_jkm_percent
        if parts != self.percent:
            raise ValidationError(
                _("The parts must add up to the JKP contribution (%(parts)s %%).")
                % {"parts": parts}
            )
