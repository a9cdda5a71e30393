"""Load the statutory figures in force, each with its source (see DOMAIN.md).

Later changes are data: staff add rows in admin, or a new data migration does.
Figures marked unconfirmed must be checked against the regulation before use.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

FOUNDING = date(1993, 1, 1)  # Jamsostek rates (PP 14/1993), kept by PP 44/2015 and 46/2015

RATES = [
    # programme, payer, risk class, in force from, percent, source
    ("JHT", "employer", None, FOUNDING, "3.700", "PP 46/2015 art. 16"),
    ("JHT", "employee", None, FOUNDING, "2.000", "PP 46/2015 art. 16"),
    ("JP", "employer", None, date(2015, 7, 1), "2.000", "PP 45/2015 art. 28"),
    ("JP", "employee", None, date(2015, 7, 1), "1.000", "PP 45/2015 art. 28"),
    ("JKK", "employer", 1, FOUNDING, "0.240", "PP 44/2015 art. 16"),
    ("JKK", "employer", 2, FOUNDING, "0.540", "PP 44/2015 art. 16"),
    ("JKK", "employer", 3, FOUNDING, "0.890", "PP 44/2015 art. 16"),
    ("JKK", "employer", 4, FOUNDING, "1.270", "PP 44/2015 art. 16"),
    ("JKK", "employer", 5, FOUNDING, "1.740", "PP 44/2015 art. 16"),
    ("JKM", "employer", None, FOUNDING, "0.300", "PP 44/2015 art. 18"),
    ("JKP", "employer", None, date(2021, 2, 2), "0.460", "PP 37/2021 art. 11"),
    ("JKP", "employer", None, date(2025, 2, 7), "0.360", "PP 6/2025"),
]

RECALLED = "BPJS Ketenagakerjaan yearly announcement, as recalled; confirm before use"
WAGE_CAPS = [
    # in force from, cap, confirmed, source
    (date(2015, 7, 1), 7_000_000, True, "PP 45/2015 art. 28"),
    (date(2016, 3, 1), 7_335_300, False, RECALLED),
    (date(2017, 3, 1), 7_703_500, False, RECALLED),
    (date(2018, 3, 1), 8_094_000, False, RECALLED),
    (date(2019, 3, 1), 8_512_400, False, RECALLED),
    (date(2020, 3, 1), 8_754_600, False, RECALLED),
    (date(2021, 3, 1), 8_939_700, False, RECALLED),
    (date(2022, 3, 1), 9_077_600, False, RECALLED),
    (date(2023, 3, 1), 9_559_600, True, "PP 45/2015 art. 29; BPJS announcement 2023"),
    (date(2024, 3, 1), 10_042_300, True, "PP 45/2015 art. 29; BPJS announcement 2024"),
    (date(2025, 3, 1), 10_547_400, False, "derived from GDP growth; unconfirmed"),
]

DEVELOPMENT_RATES = [
    (2016, "7.19", "BPJS Ketenagakerjaan annual report 2016"),
    (2020, "5.63", "BPJS Ketenagakerjaan annual report 2020"),
]


def load(apps, schema_editor):
    StatutoryRate = apps.get_model("contributions", "StatutoryRate")
    WageCap = apps.get_model("contributions", "WageCap")
    DevelopmentRate = apps.get_model("contributions", "DevelopmentRate")
    StatutoryRate.objects.bulk_create(
        StatutoryRate(
            programme=programme,
            payer=payer,
            risk_class=risk,
            effective_from=start,
            percent=Decimal(percent),
            source=source,
        )
        for programme, payer, risk, start, percent, source in RATES
    )
    WageCap.objects.bulk_create(
        WageCap(effective_from=start, amount=amount, confirmed=confirmed, source=source)
        for start, amount, confirmed, source in WAGE_CAPS
    )
    DevelopmentRate.objects.bulk_create(
        DevelopmentRate(year=year, percent=Decimal(percent), source=source)
        for year, percent, source in DEVELOPMENT_RATES
    )


def unload(apps, schema_editor):
    for name in ("StatutoryRate", "WageCap", "DevelopmentRate"):
        apps.get_model("contributions", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
