"""The statutory figures corrected against the regulations (DOMAIN.md, issue 14).

- JKP is no employer payment: its rates leave StatutoryRate and its financing
  becomes JkpFunding (PP 37/2021 art. 11; PP 6/2025).
- JP caps: 2020 and 2021 were swapped; 2026 was missing; each has its source
  and a confirmed flag.
- Payment terms, relief periods, the holiday calendar 2015–2027 and minimum
  wages with their regions.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

from contributions.due_dates import load_holidays

UNCONFIRMED = "GDP arithmetic of PP 45/2015 art. 29; unconfirmed"
WAGE_CAPS = [
    # in force from, cap, confirmed, source
    (date(2015, 7, 1), 7_000_000, True, "PP 45/2015 art. 29(2)"),
    (date(2016, 3, 1), 7_335_300, False, UNCONFIRMED),
    (date(2017, 3, 1), 7_703_500, False, UNCONFIRMED),
    (date(2018, 3, 1), 8_094_000, False, UNCONFIRMED),
    (date(2019, 3, 1), 8_512_400, False, f"{UNCONFIRMED}; payroll templates"),
    (date(2020, 3, 1), 8_939_700, False, f"{UNCONFIRMED}; payroll codebases"),
    (date(2021, 3, 1), 8_754_600, False, f"{UNCONFIRMED}; fell with 2020 GDP −2.07 %"),
    (date(2022, 3, 1), 9_077_600, True, "BPJS Ketenagakerjaan letter B/77/022023"),
    (date(2023, 3, 1), 9_559_600, True, "BPJS Ketenagakerjaan letter B/77/022023"),
    (date(2024, 3, 1), 10_042_300, True, "BPJS Ketenagakerjaan letter B/1387/022024"),
    (date(2025, 3, 1), 10_547_400, True, "BPJS Ketenagakerjaan letter B/726/022025"),
    (
        date(2026, 3, 1),
        11_086_300,
        False,
        "BPJS Ketenagakerjaan letter B/1226/022026; to be verified",
    ),
]

PAYMENT_TERMS = [
    # for periods from, due day of the next month, shift, fine % a month, source
    (
        date(1993, 1, 1),
        15,
        "next",
        "2.00",
        "PP 44/2015 (the 15th of the next month, the next working day when it "
        "is a holiday; 2 % for each month late), as PP 14/1993 before it",
    ),
]

SIX_INDUSTRIES = ["food", "textiles", "leather", "footwear", "toys", "furniture"]
RELIEF_PERIODS = [
    {
        "regulation": "PP 49/2020",
        "first_period": date(2020, 8, 1),
        "last_period": date(2021, 1, 1),
        "industries": [],
        "jkk_cut_percent": Decimal(99),
        "jkm_cut_percent": Decimal(99),
        "jp_deferred_percent": Decimal(99),
        "jp_deferred_until": date(2022, 4, 15),
        "due_day": 30,
        "if_not_working_day": "previous",
        "late_fine_percent": Decimal("0.50"),
        "source": "PP 49/2020 art. 4 (due the 30th), 8–9 (JKK, JKM cut 99 %), 17 "
        "(99 % of JP deferred to 15 Apr 2022), 23 (fine 0.5 %); working day before "
        "a holiday 30th: BPJS in detik.com, unconfirmed",
    },
    {
        "regulation": "PP 7/2025",
        "first_period": date(2025, 2, 1),
        "last_period": date(2025, 7, 1),
        "industries": SIX_INDUSTRIES,
        "jkk_cut_percent": Decimal(50),
        "source": "PP 7/2025 art. 2–4: JKK cut 50 % for six labour-intensive "
        "industries (employers of 50 or more workers), February–July 2025",
    },
    {
        "regulation": "PP 36/2025",
        "first_period": date(2025, 8, 1),
        "last_period": date(2026, 1, 1),
        "industries": SIX_INDUSTRIES,
        "jkk_cut_percent": Decimal(50),
        "source": "PP 36/2025, amending PP 7/2025: the JKK cut extended to "
        "January 2026",
    },
]

JKP_FUNDING = [
    # from, percent, wage cap, government, from JKK, from JKM, confirmed, source
    (
        date(2021, 2, 2),
        "0.460",
        5_000_000,
        "0.220",
        "0.140",
        "0.100",
        True,
        "PP 37/2021 art. 11",
    ),
    (
        date(2025, 2, 7),
        "0.360",
        5_000_000,
        "0.220",
        "0.140",
        "0.000",
        False,
        "PP 6/2025 (JKM keeps its 0.30 %: unconfirmed)",
    ),
]

PROVINCE_NAMES = {"31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah"}
MINIMUM_WAGES = [
    # province, regency ('' for UMP), region, year, amount, source
    ("31", "", "DKI Jakarta", 2023, 4_901_798, "Kepgub DKI Jakarta, UMP 2023"),
    ("31", "", "DKI Jakarta", 2024, 5_067_381, "Kepgub DKI Jakarta, UMP 2024"),
    ("31", "", "DKI Jakarta", 2025, 5_396_761, "Kepgub DKI Jakarta, UMP 2025"),
    ("31", "", "DKI Jakarta", 2026, 5_729_876, "Kepgub DKI Jakarta, UMP 2026"),
    ("32", "", "Jawa Barat", 2024, 2_057_495, "Kepgub Jawa Barat, UMP 2024"),
    ("32", "", "Jawa Barat", 2025, 2_191_232, "Kepgub Jawa Barat, UMP 2025"),
    ("32", "3275", "Kota Bekasi", 2024, 5_343_430, "Kepgub Jawa Barat, UMK 2024"),
    ("32", "3275", "Kota Bekasi", 2025, 5_690_752, "Kepgub Jawa Barat, UMK 2025"),
    ("32", "3215", "Kabupaten Karawang", 2024, 5_257_834, "Kepgub Jawa Barat, UMK 2024"),
    ("32", "3215", "Kabupaten Karawang", 2025, 5_599_593, "Kepgub Jawa Barat, UMK 2025"),
    ("33", "", "Jawa Tengah", 2024, 2_036_947, "Kepgub Jawa Tengah, UMP 2024"),
    ("33", "", "Jawa Tengah", 2025, 2_169_349, "Kepgub Jawa Tengah, UMP 2025"),
    ("33", "3374", "Kota Semarang", 2024, 3_243_969, "Kepgub Jawa Tengah, UMK 2024"),
    ("33", "3374", "Kota Semarang", 2025, 3_454_827, "Kepgub Jawa Tengah, UMK 2025"),
]

HOLIDAY_YEARS = range(2015, 2028)

DEVELOPMENT_RATES = [
    (2016, "7.19", "BPJS Ketenagakerjaan director, February 2017"),
    (2018, "6.26", "Kontan, February 2022, from the financial statements"),
    (2019, "6.08", "Kontan, February 2022, from the financial statements"),
    (
        2020,
        "5.63",
        "a BPJS branch head; Kontan reports 5.59 %: conflicting, unconfirmed",
    ),
]


def load(apps, schema_editor):
    get = apps.get_model
    get("contributions", "StatutoryRate").objects.filter(programme="JKP").delete()
    WageCap = get("contributions", "WageCap")
    for start, amount, confirmed, source in WAGE_CAPS:
        WageCap.objects.update_or_create(
            effective_from=start,
            defaults={"amount": amount, "confirmed": confirmed, "source": source},
        )
    PaymentTerms = get("contributions", "PaymentTerms")
    for start, day, shift, fine, source in PAYMENT_TERMS:
        PaymentTerms.objects.update_or_create(
            effective_from=start,
            defaults={
                "due_day": day,
                "if_not_working_day": shift,
                "late_fine_percent": Decimal(fine),
                "source": source,
            },
        )
    ReliefPeriod = get("contributions", "ReliefPeriod")
    for relief in RELIEF_PERIODS:
        ReliefPeriod.objects.create(**relief)
    JkpFunding = get("contributions", "JkpFunding")
    for start, percent, cap, government, jkk, jkm, confirmed, source in JKP_FUNDING:
        JkpFunding.objects.create(
            effective_from=start,
            percent=Decimal(percent),
            wage_cap=cap,
            government_percent=Decimal(government),
            from_jkk_percent=Decimal(jkk),
            from_jkm_percent=Decimal(jkm),
            confirmed=confirmed,
            source=source,
        )
    MinimumWage = get("contributions", "MinimumWage")
    for row in MinimumWage.objects.filter(region_name=""):
        row.region_name = PROVINCE_NAMES.get(row.province_code, row.province_code)
        row.save(update_fields=["region_name"])
    for province, regency, region, year, amount, source in MINIMUM_WAGES:
        MinimumWage.objects.update_or_create(
            province_code=province,
            regency_code=regency,
            year=year,
            defaults={"region_name": region, "amount": amount, "source": source},
        )
    DevelopmentRate = get("contributions", "DevelopmentRate")
    for year, percent, source in DEVELOPMENT_RATES:
        DevelopmentRate.objects.update_or_create(
            year=year,
            defaults={"percent": Decimal(percent), "is_demo": False, "source": source},
        )
    load_holidays(get("contributions", "Holiday"), HOLIDAY_YEARS)


def unload(apps, schema_editor):
    for name in ("PaymentTerms", "ReliefPeriod", "JkpFunding", "Holiday"):
        apps.get_model("contributions", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0003_employer_industry_relief_holidays")]

    operations = [migrations.RunPython(load, unload)]
