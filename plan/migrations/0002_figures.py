"""The benefit figures and projection assumptions in force, each with its source.

Figures marked unconfirmed (confirmed=False) must be checked against the
regulation or BPJS Ketenagakerjaan's announcement before anyone relies on them;
the plan page marks them. Later changes are rows added in admin.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

PP_82_2019 = date(2019, 12, 2)  # PP 82/2019 amended PP 44/2015's JKK and JKM benefits
JP_LIMITS = "PP 45/2015 Pasal 18 ayat (3)"  # moved each year by last year's inflation

# Sources are citations members read in either language; where an unconfirmed
# figure comes from is said in the comment beside it.
FIGURES = [
    # kind, in force from, amount, confirmed, source
    # "Up to 10 % / 30 %" is certain (Permenaker 4/2022); the article number of
    # PP 46/2015 that states it is not confirmed.
    (
        "jht_partial_retirement_percent",
        date(2015, 7, 1),
        10,
        True,
        "PP 46/2015 Pasal 22 ayat (4); Permenaker 4/2022",
    ),
    (
        "jht_partial_housing_percent",
        date(2015, 7, 1),
        30,
        True,
        "PP 46/2015 Pasal 22 ayat (4); Permenaker 4/2022",
    ),
    ("jp_minimum", date(2015, 7, 1), 300_000, True, "PP 45/2015 Pasal 18 ayat (1)"),
    ("jp_maximum", date(2015, 7, 1), 3_600_000, True, "PP 45/2015 Pasal 18 ayat (2)"),
    # As reported by BPJS Ketenagakerjaan for 2023 and 2024; from January
    # (the month is an assumption).
    ("jp_minimum", date(2023, 1, 1), 383_400, False, JP_LIMITS),
    ("jp_minimum", date(2024, 1, 1), 393_500, False, JP_LIMITS),
    # From public payroll calculators, not from BPJS Ketenagakerjaan itself.
    ("jp_maximum", date(2024, 1, 1), 4_718_200, False, JP_LIMITS),
    ("jkm_lump_sum", PP_82_2019, 20_000_000, True, "PP 82/2019"),
    # 24 monthly payments of Rp 500,000, paid at once.
    ("jkm_periodic", PP_82_2019, 12_000_000, True, "PP 82/2019"),
    ("jkm_funeral", PP_82_2019, 10_000_000, True, "PP 82/2019"),
    ("scholarship_total", PP_82_2019, 174_000_000, True, "PP 82/2019"),
    ("scholarship_children", PP_82_2019, 2, True, "PP 82/2019"),
    # At least 3 years of contributions: DOMAIN.md marks it unconfirmed.
    ("scholarship_months", PP_82_2019, 36, False, "PP 82/2019"),
    ("jkk_death_wages", PP_82_2019, 48, True, "PP 82/2019"),
    ("jkk_disability_wages", PP_82_2019, 56, True, "PP 82/2019"),
    ("jkk_full_pay_months", PP_82_2019, 12, True, "PP 82/2019"),
    ("jkk_later_pay_percent", PP_82_2019, 50, True, "PP 82/2019"),
]

REASONING = """\
Wage rise 5 % a year: Jakarta's minimum wage (UMP) rose 3.4 % in 2024, 6.5 % in \
2025 and 6.2 % in 2026 (Kepgub DKI Jakarta; the minimum wages table), 5.3 % a \
year on average; rounded down, as most wages rise less than the minimum.
Price rise 2.5 % a year: the inflation target of the Government and Bank \
Indonesia, 2.5 % plus or minus 1 % (PMK 101/PMK.010/2021 for 2024; the same \
target for 2025-2027 is unconfirmed). It stands in for the general inflation \
index of PP 45/2015 art. 17(3), which is not in our data.
JP wage cap rise 5 % a year: the cap rose 5.3 %, 5.0 %, 5.0 % and 5.1 % in \
March 2023-2026 (the JP wage caps table); PP 45/2015 art. 29 moves it with GDP.
Low and high returns 1.5 points either side of the expected return: the JHT \
returns known since 2016 lie between 5.59 % and 7.19 %."""


def load(apps, schema_editor):
    BenefitFigure = apps.get_model("plan", "BenefitFigure")
    for kind, start, amount, confirmed, source in FIGURES:
        BenefitFigure.objects.update_or_create(
            kind=kind,
            effective_from=start,
            defaults={"amount": amount, "confirmed": confirmed, "source": source},
        )
    apps.get_model("plan", "ProjectionAssumptions").objects.update_or_create(
        effective_from=date(2026, 1, 1),
        defaults={
            "wage_growth_percent": Decimal("5.00"),
            "inflation_percent": Decimal("2.50"),
            "jp_cap_growth_percent": Decimal("5.00"),
            "return_spread_percent": Decimal("1.50"),
            "reasoning": REASONING,
        },
    )


def unload(apps, schema_editor):
    for name in ("BenefitFigure", "ProjectionAssumptions"):
        apps.get_model("plan", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
