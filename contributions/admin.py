from django.contrib import admin

from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employer,
    Employment,
    MinimumWage,
    StatutoryRate,
    WageCap,
)


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["npp", "name", "risk_class", "province_code"]
    list_filter = ["risk_class", "province_code"]
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
    list_display = ["province_code", "year", "amount", "source"]
    list_filter = ["province_code"]
