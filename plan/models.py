"""The figures behind the projections, as dated data with their sources.

Benefit amounts and limits come from regulations (BenefitFigure); what the
projections assume about the future (ProjectionAssumptions) is our choice, with
its reasoning written next to it. Next year's figures are rows added in admin.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class BenefitFigure(models.Model):
    """One statutory benefit figure, in force from a date until a later row."""

    class Kind(models.TextChoices):
        JHT_PARTIAL_RETIREMENT_PERCENT = (
            "jht_partial_retirement_percent",
            _("JHT partial claim for retirement: most, percent of the balance"),
        )
        JHT_PARTIAL_HOUSING_PERCENT = (
            "jht_partial_housing_percent",
            _("JHT partial claim for housing: most, percent of the balance"),
        )
        JP_MINIMUM = "jp_minimum", _("JP pension: least a month (Rp)")
        JP_MAXIMUM = "jp_maximum", _("JP pension: most a month (Rp)")
        JKM_LUMP_SUM = "jkm_lump_sum", _("JKM: lump sum (Rp)")
        JKM_PERIODIC = "jkm_periodic", _("JKM: periodic benefit, paid at once (Rp)")
        JKM_FUNERAL = "jkm_funeral", _("JKM: funeral costs (Rp)")
        SCHOLARSHIP_TOTAL = "scholarship_total", _("Scholarships: most in all (Rp)")
        SCHOLARSHIP_CHILDREN = (
            "scholarship_children",
            _("Scholarships: children who may receive one"),
        )
        SCHOLARSHIP_MONTHS = (
            "scholarship_months",
            _("Scholarships: months of contributions needed"),
        )
        JKK_DEATH_WAGES = "jkk_death_wages", _("JKK death: times the monthly wage")
        JKK_DISABILITY_WAGES = (
            "jkk_disability_wages",
            _("JKK total permanent disability: times the monthly wage"),
        )
        JKK_FULL_PAY_MONTHS = (
            "jkk_full_pay_months",
            _("JKK unable to work: months at the full wage"),
        )
        JKK_LATER_PAY_PERCENT = (
            "jkk_later_pay_percent",
            _("JKK unable to work: percent of the wage after that"),
        )

    kind = models.CharField(_("figure"), max_length=30, choices=Kind)
    effective_from = models.DateField(_("in force from"))
    amount = models.BigIntegerField(
        _("amount"), help_text=_("Rupiah, a count or a percent: as the figure says.")
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Untick for figures not yet confirmed."),
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("benefit figure")
        verbose_name_plural = _("benefit figures")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="plan_benefitfigure_one_per_kind_and_date",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0),
                name="plan_benefitfigure_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount:,} from {self.effective_from}"

    @property
    def unit(self) -> str:
        """What the amount counts: rupiah, percent, months, times_wage or children."""
        return next(unit for unit, kinds in _UNITS.items() if self.kind in kinds)


K = BenefitFigure.Kind
_UNITS = {
    "rupiah": {
        K.JP_MINIMUM,
        K.JP_MAXIMUM,
        K.JKM_LUMP_SUM,
        K.JKM_PERIODIC,
        K.JKM_FUNERAL,
        K.SCHOLARSHIP_TOTAL,
    },
    "percent": {
        K.JHT_PARTIAL_RETIREMENT_PERCENT,
        K.JHT_PARTIAL_HOUSING_PERCENT,
        K.JKK_LATER_PAY_PERCENT,
    },
    "months": {K.SCHOLARSHIP_MONTHS, K.JKK_FULL_PAY_MONTHS},
    "times_wage": {K.JKK_DEATH_WAGES, K.JKK_DISABILITY_WAGES},
    "children": {K.SCHOLARSHIP_CHILDREN},
}


class ProjectionAssumptions(models.Model):
    """What the projections assume about years to come, from a date on."""

    effective_from = models.DateField(_("in force from"), unique=True)
    wage_growth_percent = models.DecimalField(
        _("wage rise a year (%)"),
        max_digits=5,
        decimal_places=2,
        validators=_PERCENT,
        help_text=_("The default the member may change."),
    )
    inflation_percent = models.DecimalField(
        _("price rise a year (%)"),
        max_digits=5,
        decimal_places=2,
        validators=_PERCENT,
        help_text=_("Indexes JP wages and turns future rupiah into today's money."),
    )
    jp_cap_growth_percent = models.DecimalField(
        _("JP wage cap rise a year (%)"),
        max_digits=5,
        decimal_places=2,
        validators=_PERCENT,
        help_text=_("For years whose cap is not in the JP wage caps yet."),
    )
    return_spread_percent = models.DecimalField(
        _("low and high return: points either side"),
        max_digits=5,
        decimal_places=2,
        validators=_PERCENT,
    )
    reasoning = models.TextField(_("reasoning and sources"))

    class Meta:
        verbose_name = _("projection assumptions")
        verbose_name_plural = _("projection assumptions")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"assumptions from {self.effective_from}"
