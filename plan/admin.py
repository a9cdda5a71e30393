from django.contrib import admin

from plan.models import BenefitFigure, ProjectionAssumptions


@admin.register(BenefitFigure)
class BenefitFigureAdmin(admin.ModelAdmin):
    list_display = ["kind", "effective_from", "amount", "confirmed", "source"]
    list_filter = ["kind", "confirmed"]


@admin.register(ProjectionAssumptions)
class ProjectionAssumptionsAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "wage_growth_percent",
        "inflation_percent",
        "jp_cap_growth_percent",
        "return_spread_percent",
    ]
