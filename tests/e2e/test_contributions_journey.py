"""The demo member checks her contributions in a real browser, on a phone."""

import re

import pytest
from playwright.sync_api import Page, expect

from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.e2e.conftest import DEMO_KPJ, fill_login_form

pytestmark = pytest.mark.e2e

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
HISTORY_ROWS = "table.history tbody tr"


def test_contributions_journey(
    live_server, page: Page, demo_member, results_dir, browser_problems
):
    page.goto(f"{live_server.url}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")

    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Contributions", exact=True).click()

    expect(page).to_have_url(re.compile(r"/contributions/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Contributions")
    expect(
        menu.get_by_role("link", name="Contributions", exact=True)
    ).to_have_attribute("aria-current", "page")

    # The history: years as headings, the current employer's months as rows.
    year_headings = page.get_by_role("heading", level=3, name=re.compile(r"^\d{4}$"))
    expect(year_headings.first).to_be_visible()
    expect(
        page.locator(HISTORY_ROWS, has_text="PT Nusantara Digital").first
    ).to_be_visible()

    # The chart, and one of the deliberate problems of the demo career.
    chart = page.get_by_role(
        "img", name=re.compile(r"^JHT paid each year and the balance")
    )
    expect(chart).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    warnings = page.get_by_role("region", name="Please check these")
    expect(warnings.get_by_text("Months with no contribution")).to_be_visible()

    # The chart's text alternative opens on demand.
    year_table = page.get_by_role("region", name="JHT balance year by year")
    expect(year_table).to_be_hidden()
    page.get_by_text("Year by year", exact=True).click()
    expect(year_table).to_be_visible()
    expect(year_table.get_by_role("rowheader", name="2005", exact=True)).to_be_visible()

    # Only the textile years.
    page.get_by_label("Employer", exact=True).select_option(
        label="PT Sinar Abadi Textile"
    )
    page.get_by_role("button", name="Show", exact=True).click()

    expect(page).to_have_url(re.compile(r"[?&]employer=\d+"))
    rows = page.locator(HISTORY_ROWS)
    expect(rows.first).to_be_visible()
    expect(rows.filter(has_text="PT Nusantara Digital")).to_have_count(0)
    expect(rows.filter(has_text="PT Maju Jaya Konstruksi")).to_have_count(0)
    assert rows.count() == rows.filter(has_text="PT Sinar Abadi Textile").count() > 0
    expect(year_headings.first).to_have_text("2019")
    expect(page.get_by_label("Employer", exact=True)).to_have_value(
        re.compile(r"^\d+$")
    )

    page.screenshot(path=results_dir / "contributions-phone.png", full_page=True)
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the contributions page scrolls sideways"
    assert browser_problems == []
