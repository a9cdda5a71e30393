"""The baseline: a bare Django view that renders a base layout and a 50-row table.

No database, no sessions, no middleware: what this machine's Django and
gunicorn can serve at best. gunicorn serves it as bench.baseline:application
with exactly the portal's gunicorn configuration. Not part of the product.
"""

import os
from datetime import date
from pathlib import Path

import django
from django.conf import settings

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("SECRET_KEY", ""),
        ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(","),
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        DATABASES={},
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [TEMPLATES_DIR],
            }
        ],
        USE_I18N=False,
        USE_TZ=True,
        TIME_ZONE="Asia/Jakarta",
    )
    django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402

EMPLOYERS = (
    "PT Maju Jaya Konstruksi",
    "PT Sinar Abadi Textile",
    "PT Nusantara Digital",
)
ROWS = [
    {
        "period": date(2021 + n // 12, n % 12 + 1, 1),
        "employer": EMPLOYERS[n % 3],
        "wage": 5_000_000 + n * 25_000,
        "jht": (5_000_000 + n * 25_000) * 57 // 1000,
        "jp": (5_000_000 + n * 25_000) * 3 // 100,
        "paid": date(2021 + (n + 1) // 12, (n + 1) % 12 + 1, 10),
    }
    for n in range(50)
]


def table_view(request):
    return render(request, "bench/baseline_table.html", {"rows": ROWS})


urlpatterns = [path("", table_view)]
application = get_wsgi_application()
