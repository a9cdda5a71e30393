"""Every member page through axe-core, in Chromium at 320 px wide.

Each page may have no "serious" or "critical" axe violation (WCAG 2.2 A/AA
rules and axe's best practices), no sideways scroll on a 320 px phone, and
must say its language on <html>.

For speed, the `reports` fixture seeds the demo once and visits every page in
three browser contexts: the demo member signed in, signed out, and a member
with an authenticator (the second sign-in step). Each page's own test then
judges what was found there, so every page passes or fails on its own.
"""

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections
from django.test.utils import modify_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect

from accounts.models import Heir, Member
from claims.models import Claim
from demo.management.commands.seed_demo import DEMO_PASSWORD
from documents.models import GeneratedDocument
from tests.conftest import load_reference_figures
from tests.e2e.conftest import DEMO_KPJ, fill_login_form
from tests.factories import nik_for

pytestmark = pytest.mark.e2e

NARROW_PHONE = {"width": 320, "height": 640}
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
HTML_LANG = "document.documentElement.lang"
# WCAG 2.2 A and AA, and axe's best practices. Naming the tags also runs the
# rules axe leaves off by default, such as target-size (WCAG 2.2, 2.5.8).
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
FAILING_IMPACTS = {"serious", "critical"}
TOTP_KPJ = "12345678902"  # Budi Santoso, from seed_demo; given an authenticator here
NOT_A_CODE = "ABCD-EFGH-JKLM"


@dataclass
class Report:
    """What one page showed: axe's violations, the scroll and the language."""

    url: str = ""
    violations: list[dict] = field(default_factory=list)
    sideways_scroll: bool = False
    lang: str = ""
    error: str = ""


@dataclass
class Visit:
    """How to reach a page: in which browser context, then what to do there."""

    name: str
    context: str  # "anonymous", "second_step" (Budi, half signed in) or "member"
    go: Callable[[Page, str, dict], None]


def _path(path: str) -> Callable[[Page, str, dict], None]:
    """Open a path; `{name}` placeholders come from the seeded ids."""

    def go(page: Page, base: str, ids: dict) -> None:
        page.goto(base + path.format(**ids))

    return go


def _login_wrong_captcha(page: Page, base: str, ids: dict) -> None:
    page.goto(f"{base}/accounts/login/")
    fill_login_form(page, DEMO_KPJ, DEMO_PASSWORD)
    page.get_by_label("Characters in the image").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _password_change_wrong(page: Page, base: str, ids: dict) -> None:
    page.goto(f"{base}/accounts/password/change/")
    page.locator("input[name=old_password]").fill("not-my-password")
    page.locator("input[name=new_password1]").fill("short")
    page.locator("input[name=new_password2]").fill("different")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#error-summary")).to_be_visible()


def _second_step_done(page: Page, base: str, ids: dict) -> None:
    """Finish signing in with the authenticator; then the two-step page."""
    page.get_by_label("Verification code").fill(ids["totp"].now())
    page.get_by_role("button", name="Verify and sign in").click()
    expect(page).to_have_url(f"{base}/")
    page.goto(f"{base}/accounts/two-factor/")


def _new_backup_codes(page: Page, base: str, ids: dict) -> None:
    page.goto(f"{base}/accounts/two-factor/")
    page.get_by_role("button", name="Make new backup codes").click()
    expect(page).to_have_url(f"{base}/accounts/two-factor/backup-codes/")


# In order: within a context, a visit starts where the one before it ended.
VISITS = [
    # Public pages, signed out.
    Visit("login", "anonymous", _path("/accounts/login/")),
    Visit("login-with-errors", "anonymous", _login_wrong_captcha),
    Visit("password-reset", "anonymous", _path("/accounts/password/reset/")),
    Visit("password-reset-sent", "anonymous", _path("/accounts/password/reset/done/")),
    Visit("activation", "anonymous", _path("/accounts/activate/")),
    Visit("activation-sent", "anonymous", _path("/accounts/activate/sent/")),
    Visit("verify-genuine", "anonymous", _path("/verify/{document_code}/")),
    Visit("verify-not-genuine", "anonymous", _path(f"/verify/{NOT_A_CODE}/")),
    # A member with an authenticator: the code step, then signed in.
    Visit("two-factor-verify", "second_step", _path("/accounts/login/verify/")),
    Visit("two-factor-on", "second_step", _second_step_done),
    Visit("backup-codes", "second_step", _new_backup_codes),
    Visit("two-factor-disable", "second_step", _path("/accounts/two-factor/disable/")),
    # The demo member, signed in.
    Visit("dashboard", "member", _path("/")),
    Visit("activity", "member", _path("/accounts/activity/")),
    Visit("profile", "member", _path("/accounts/profile/")),
    Visit("reauth", "member", _path("/accounts/reauth/?next=/accounts/profile/")),
    Visit("email-change", "member", _path("/accounts/profile/email/")),
    Visit("heirs", "member", _path("/accounts/heirs/")),
    Visit("heirs-editor", "member", _path("/accounts/heirs/edit/")),
    Visit("heir-detail", "member", _path("/accounts/heirs/{heir}/")),
    Visit("contributions", "member", _path("/contributions/")),
    Visit("plan", "member", _path("/plan/")),
    Visit(
        "plan-with-errors",
        "member",
        _path("/plan/?return_percent=80&wage_growth=-1&age=70"),
    ),
    Visit("claims", "member", _path("/claims/")),
    Visit("claim-new", "member", _path("/claims/new/")),
    Visit("claim-detail", "member", _path("/claims/{claim}/")),
    Visit("claim-edit", "member", _path("/claims/{claim}/edit/")),
    Visit("documents", "member", _path("/documents/")),
    Visit("my-data", "member", _path("/privacy/export/")),
    Visit("two-factor", "member", _path("/accounts/two-factor/")),
    Visit("two-factor-app", "member", _path("/accounts/two-factor/authenticator/")),
    Visit("two-factor-email", "member", _path("/accounts/two-factor/email/")),
    Visit("password-change", "member", _path("/accounts/password/change/")),
    Visit("password-change-with-errors", "member", _password_change_wrong),
]


def _seed() -> dict:
    """The demo data, plus what the pages need to show more than emptiness."""
    load_reference_figures()
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    Member.objects.filter(kpj_number__in=[DEMO_KPJ, TOTP_KPJ]).update(
        preferred_language="en"
    )
    siti = Member.objects.get(kpj_number=DEMO_KPJ)
    budi = Member.objects.get(kpj_number=TOTP_KPJ)
    device = TOTPDevice.objects.create(user=budi, name="phone", confirmed=True)
    heir = Heir.objects.create(
        member=siti,
        full_name="Agus Pratama",
        nik=nik_for(date(1986, 2, 10), female=False, serial=11),
        relationship=Heir.Relationship.SPOUSE,
        date_of_birth=date(1986, 2, 10),
        share_percent=100,
    )
    document = GeneratedDocument.objects.create(
        member=siti,
        kind=GeneratedDocument.Kind.MEMBERSHIP_CARD,
        language="en",
        data_hash="0" * 64,
        status=GeneratedDocument.Status.READY,
        sha256="ab" * 32,
        ready_at=timezone.now(),
    )
    claim = Claim.objects.get(member=siti, status=Claim.Status.NEEDS_INFO)
    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    return {
        "heir": heir.pk,
        "claim": claim.pk,
        "document_code": document.display_code,
        "totp": pyotp.TOTP(secret),
    }


def _sign_in(page: Page, base: str, kpj: str, *, lands_on: str) -> None:
    page.goto(f"{base}/accounts/login/")
    fill_login_form(page, kpj, DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + lands_on)


def _check(page: Page, axe: Axe) -> Report:
    results = axe.run(page, options=AXE_OPTIONS)
    return Report(
        url=page.url,
        violations=results.response["violations"],
        sideways_scroll=not page.evaluate(NO_SIDEWAYS_SCROLL),
        lang=page.evaluate(HTML_LANG),
    )


@pytest.fixture(scope="module")
def reports(
    django_db_setup, django_db_blocker, live_server, browser: Browser
) -> dict[str, Report]:
    # django_db_setup first: the test database must exist before anything here,
    # or the seeding and the flush below would hit the configured database.
    base = live_server.url
    axe = Axe()
    found: dict[str, Report] = {}
    contexts: dict[str, BrowserContext] = {}
    pages: dict[str, Page] = {}
    # What live_server does for its tests, which run only after this fixture.
    host = modify_settings(ALLOWED_HOSTS={"append": urlsplit(base).hostname})
    with django_db_blocker.unblock(), host:
        try:
            ids = _seed()
            for name in ("anonymous", "second_step", "member"):
                contexts[name] = browser.new_context(
                    locale="en-US", viewport=NARROW_PHONE
                )
                contexts[name].set_default_timeout(10_000)
                pages[name] = contexts[name].new_page()
            _sign_in(pages["member"], base, DEMO_KPJ, lands_on="/")
            _sign_in(
                pages["second_step"], base, TOTP_KPJ, lands_on="/accounts/login/verify/"
            )
            for visit in VISITS:
                page = pages[visit.context]
                try:
                    visit.go(page, base, ids)
                    found[visit.name] = _check(page, axe)
                except Exception as error:  # reported by the page's own test
                    found[visit.name] = Report(url=page.url, error=repr(error))
        finally:
            for context in contexts.values():
                context.close()
            # All seen: leave the database as a live-server test's teardown would,
            # emptied and with no connection left open (PostgreSQL cannot drop a
            # test database still in use).
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()
    return found


@pytest.fixture
def transactional_db():
    """No database for the tests here: they judge what `reports` found.

    pytest-django gives every live-server test this fixture, which empties the
    database after each test (0.6 s on PostgreSQL, for nothing: `reports` seeds
    and empties it itself). A test that needs the database belongs elsewhere.
    """


def _describe(violation: dict) -> list[str]:
    """Rule, impact, help text and link; then each element and what is wrong."""
    lines = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}",
        f"  {violation['helpUrl']}",
    ]
    for node in violation["nodes"]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"  at {' '.join(node['target'])}: {summary}")
    return lines


@pytest.mark.parametrize("name", [visit.name for visit in VISITS])
def test_page_is_accessible(reports, name):
    report = reports[name]
    if report.error:
        pytest.fail(f"{name}: could not reach the page: {report.error}", pytrace=False)
    problems = [
        line
        for violation in report.violations
        if violation["impact"] in FAILING_IMPACTS
        for line in _describe(violation)
    ]
    if report.sideways_scroll:
        problems.append("scrolls sideways at 320 px wide")
    if report.lang != "en":  # the pages are shown in English here
        problems.append(f'<html lang="{report.lang}">, expected "en"')
    if problems:
        pytest.fail(f"{name} ({report.url}):\n" + "\n".join(problems), pytrace=False)
