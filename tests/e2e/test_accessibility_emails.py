"""Every email, as its HTML part renders, through axe-core in Chromium.

All emails share one layout (emails/_layout.html) filled with their own text;
each is rendered here with a sample context and checked like a page.
"""

from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

TEMPLATES = sorted(
    path.name.removesuffix("_body.txt")
    for path in (Path(settings.BASE_DIR) / "templates" / "emails").glob("*_body.txt")
)
AXE_OPTIONS = {
    "runOnly": [
        "wcag2a",
        "wcag2aa",
        "wcag21a",
        "wcag21aa",
        "wcag22aa",
        "best-practice",
    ],
    "resultTypes": ["violations"],
}


def _sample_context() -> dict:
    member = SimpleNamespace(full_name="Siti Rahayu", kpj_number="12345678901")
    heir = SimpleNamespace(
        full_name="Agus Pratama", share_percent=100, get_relationship_display="Spouse"
    )
    return {
        "site_url": "https://portal.example",
        "member": member,
        "when": datetime(2026, 11, 24, 8, 30, tzinfo=UTC),
        "ip": "203.0.113.7",
        "browser": "Chrome · Android",
        "link": "https://portal.example/accounts/password/reset/MQ/abc-123/",
        "code": "123456",
        "minutes": 60,
        "new_email": "s***@example.com",
        "heirs": [heir],
        "note": "Mohon unggah surat keterangan dokter.",
        "claim": SimpleNamespace(
            pk=1, number="KLM-2026-000001", member=member, get_status_display="Approved"
        ),
        "document": SimpleNamespace(
            member=member, get_kind_display="Contribution statement"
        ),
        "export": SimpleNamespace(
            member=member, expires_at=datetime(2026, 11, 27, tzinfo=UTC)
        ),
    }


@pytest.fixture(scope="module")
def email_page(browser: Browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_email_has_no_serious_accessibility_problem(email_page, template, language):
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", _sample_context())
        body = render_to_string(f"emails/{template}_body.txt", _sample_context())
        html = render_to_string(
            "emails/_layout.html",
            {"subject": " ".join(subject.split()), "body": body.strip()},
        )
    email_page.set_content(html)

    results = Axe().run(email_page, options=AXE_OPTIONS).response["violations"]
    serious = [v["id"] for v in results if v["impact"] in {"serious", "critical"}]

    assert serious == [], f"{template}: {serious}"
    assert email_page.evaluate("document.documentElement.lang") == language
    assert email_page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
    )
