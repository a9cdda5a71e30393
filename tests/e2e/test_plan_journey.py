"""The demo member looks at her plan on a 360 px phone, in both languages:
estimates, assumptions and a chart; a wrong value is explained and kept."""

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import Member
from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_KPJ, collect_problems, fill_login_form

pytestmark = pytest.mark.e2e

PHONE_360 = {"width": 360, "height": 780}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
WORDS = {
    "en": {
        "menu": "My plan",
        "chart": r"^Your JHT balance, estimated to the end of 2053",
        "jht": "JHT savings at 65",
        "jp": "Pension (JP)",
        "return": "Yearly return on your JHT (%)",
        "submit": "Work it out again",
        "error": "Enter a return from 0% to 15% a year.",
        "family": "What your family would receive today",
    },
    "id": {
        "menu": "Rencana saya",
        "chart": r"^Perkiraan saldo JHT Anda sampai akhir tahun 2053",
        "jht": "Saldo JHT pada usia 65",
        "jp": "Jaminan Pensiun (JP)",
        "return": "Hasil pengembangan JHT per tahun (%)",
        "submit": "Hitung ulang",
        "error": "Isi hasil pengembangan antara 0% dan 15% per tahun.",
        "family": "Apa yang akan diterima keluarga Anda saat ini",
    },
}


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_plan_on_a_phone(
    live_server, browser: Browser, demo_member, results_dir, language
):
    words = WORDS[language]
    # Signing in sets the page language to the member's preference.
    Member.objects.filter(pk=demo_member.pk).update(preferred_language=language)
    context = browser.new_context(locale="en-US", viewport=PHONE_360)
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = collect_problems(page)
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_role("link", name=words["menu"], exact=True).click()

    expect(page).to_have_url(re.compile(r"/plan/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(words["menu"])
    summary = page.locator("dl.facts").first
    expect(summary.get_by_text(words["jht"])).to_be_visible()
    expect(summary.get_by_text(words["jp"])).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(words["chart"]))).to_be_visible()
    expect(page.get_by_role("heading", name=words["family"])).to_be_visible()
    page.screenshot(path=results_dir / f"plan-phone-{language}.png", full_page=True)
    sideways = [] if page.evaluate(NO_SIDEWAYS_SCROLL) else ["plan"]

    page.get_by_label(words["return"]).fill("80")
    page.get_by_role("button", name=words["submit"]).click()

    expect(page.locator("#error-summary")).to_contain_text(words["error"])
    expect(page.get_by_label(words["return"])).to_have_value("80")
    expect(page.get_by_role("img", name=re.compile(words["chart"]))).to_be_visible()
    page.screenshot(
        path=results_dir / f"plan-phone-{language}-error.png", full_page=True
    )
    if not page.evaluate(NO_SIDEWAYS_SCROLL):
        sideways.append("plan with an error")
    context.close()
    assert sideways == []
    assert problems == []
