from django import forms
from django.contrib import admin

from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employer,
    Employment,
    Holiday,
    Industry,
    JkpFunding,
    MinimumWage,
    PaymentTerms,
    ReliefPeriod,
    StatutoryRate,
    WageCap,
)


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = [
        "npp",
        "name",
        "risk_class",
        "industry",
        "province_code",
        "regency_code",
    ]
    list_filter = ["risk_class", "industry", "province_code"]
    search_fields = ["=npp", "name"]


@admin.register(Employment)
class EmploymentAdmin(admin.ModelAdmin):
    list_display = ["member", "employer", "start", "end"]
    list_select_related = ["member", "employer"]
    search_fields = ["=member__kpj_number", "=employer__npp"]
    autocomplete_fields = ["employer"]
    raw_id_fields = ["member"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = [
        "period",
        "member",
        "employer",
        "wage",
        "jht_employer",
        "jht_employee",
        "paid_date",
    ]
    list_select_related = ["member", "employer"]
    list_filter = ["period"]
    search_fields = ["=member__kpj_number", "=employer__npp"]
    date_hierarchy = "period"
    raw_id_fields = ["member", "employer"]

    # Contributions arrive through import_contributions; staff correct, not invent.
    def has_add_permission(self, request):
        return False


@admin.register(StatutoryRate)
class StatutoryRateAdmin(admin.ModelAdmin):
    list_display = [
        "programme",
        "payer",
        "risk_class",
        "effective_from",
        "percent",
        "source",
    ]
    list_filter = ["programme", "payer"]


@admin.register(WageCap)
class WageCapAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "amount", "confirmed", "source"]


@admin.register(DevelopmentRate)
class DevelopmentRateAdmin(admin.ModelAdmin):
    list_display = ["year", "percent", "is_demo", "source"]
    list_filter = ["is_demo"]


@admin.register(MinimumWage)
class MinimumWageAdmin(admin.ModelAdmin):
    list_display = [
        "region_name",
        "level",
        "province_code",
        "regency_code",
        "year",
        "amount",
        "source",
    ]
    list_filter = ["province_code", "year"]
    search_fields = ["region_name", "=regency_code"]


@admin.register(PaymentTerms)
class PaymentTermsAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "due_day",
        "if_not_working_day",
        "late_fine_percent",
        "source",
    ]


class ReliefPeriodForm(forms.ModelForm):
    industries = forms.MultipleChoiceField(
        label=ReliefPeriod._meta.get_field("industries").verbose_name,
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=ReliefPeriod._meta.get_field("industries").help_text,
    )

    class Meta:
        model = ReliefPeriod
        fields = [
            "regulation",
            "first_period",
            "last_period",
            "industries",
            "jkk_cut_percent",
            "jkm_cut_percent",
            "jp_deferred_percent",
            "jp_deferred_until",
            "due_day",
            "if_not_working_day",
            "late_fine_percent",
            "source",
        ]


@admin.register(ReliefPeriod)
class ReliefPeriodAdmin(admin.ModelAdmin):
    form = ReliefPeriodForm
    list_display = [
        "regulation",
        "first_period",
        "last_period",
        "jkk_cut_percent",
        "jkm_cut_percent",
        "jp_deferred_percent",
        "due_day",
        "late_fine_percent",
    ]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "kind", "source"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["name"]


@admin.register(JkpFunding)
class JkpFundingAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "percent",
        "wage_cap",
        "government_percent",
        "from_jkk_percent",
        "from_jkm_percent",
        "confirmed",
        "source",
    ]
