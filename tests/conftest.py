import base64
import importlib
import re
import time
from datetime import date
from decimal import Decimal

import pyotp
import pytest
from captcha.models import CaptchaStore
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from contributions.checks import next_month
from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employer,
    PaymentTerms,
    StatutoryRate,
)
from documents.services import document_request
from ibsu.templatetags.ibsu_tags import _blank_layouts
from tests.factories import DEFAULT_PASSWORD, MemberFactory


@pytest.fixture
def member(db):
    return MemberFactory(full_name="Siti Rahayu", email="siti@example.com")


@pytest.fixture
def other_member(db):
    return MemberFactory(full_name="Budi Santoso", email="budi@example.com")


@pytest.fixture
def staff(db):
    return MemberFactory(full_name="Dewi Petugas", is_staff=True, is_superuser=True)


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


_CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')


def captcha_from_page(html: str) -> tuple[str, str]:
    """The CAPTCHA key on a rendered page and its answer, read from the store."""
    key = _CAPTCHA_KEY.search(html).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def post_login(client, identifier, password, *, captcha_ok=True, **extra):
    """Load the login page as a browser would, then submit it."""
    page = client.get(reverse("accounts:login"))
    key, answer = captcha_from_page(page.content.decode())
    data = {
        "identifier": identifier,
        "password": password,
        "captcha_0": key,
        "captcha_1": answer if captcha_ok else "wrong",
    }
    return client.post(reverse("accounts:login"), data, **extra)


def totp_now(device, *, offset_steps: int = 0) -> str:
    """The code an authenticator app would show now for this device's secret."""
    secret = base64.b32encode(bytes.fromhex(device.key)).decode()
    return pyotp.TOTP(secret).at(time.time() + offset_steps * 30)


@pytest.fixture
def enable_totp():
    """Give a member a confirmed authenticator device, as the setup page would."""

    def _enable(member):
        return TOTPDevice.objects.create(
            user=member, name="authenticator", confirmed=True
        )

    return _enable


@pytest.fixture
def login(client):
    """Sign a member in through the real login page, second step included."""

    def _login(member, password=DEFAULT_PASSWORD):
        response = post_login(client, member.kpj_number, password)
        if response.status_code == 302 and response.url == reverse(
            "accounts:login_verify"
        ):
            device = TOTPDevice.objects.get(user=member, confirmed=True)
            response = client.post(response.url, {"code": totp_now(device)})
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return _login


@pytest.fixture
def verified_staff(staff, enable_totp):
    """A staff member with an authenticator, as admin demands."""
    enable_totp(staff)
    return staff


@pytest.fixture
def statutory_figures(db):
    """The statutory figures of migrations 0002 and 0004, present even after a
    flush.

    Transactional tests (live server, Celery worker) end with a flush that
    also removes data loaded by migrations; this puts the figures back.
    """
    load_statutory_figures()


def load_statutory_figures() -> None:
    for migration, model in (
        ("0002_statutory_figures", StatutoryRate),
        ("0004_figures_by_the_law", PaymentTerms),
    ):
        if not model.objects.exists():
            figures = importlib.import_module(f"contributions.migrations.{migration}")
            figures.load(django_apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and page parts live in the cache, blank forms'
    layouts in process memory; each test starts with none."""
    cache.clear()
    _blank_layouts.clear()
    yield
    cache.clear()
    _blank_layouts.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A page served in Indonesian leaves that language active in the thread,
    and code run outside a request would speak it: each test starts afresh."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def request_document(django_capture_on_commit_callbacks):
    """Request a document as the portal does; it is rendered at commit."""

    def _request(member, kind, language="en", **params):
        with django_capture_on_commit_callbacks(execute=True):
            document = document_request(
                member=member, kind=kind, params=params, language=language
            )
        document.refresh_from_db()
        return document

    return _request


@pytest.fixture
def saver_2017(member, statutory_figures):
    """100,000 JHT a month in 2016 and 2017, each paid on the 10th of the next
    month; 2016's return is the published 7.19 %, 2017's a demo 7.00 %. Its
    balances are worked out by hand in tests/claims/test_withdrawals.py."""
    DevelopmentRate.objects.update_or_create(
        year=2017, defaults={"percent": Decimal("7.00"), "is_demo": True}
    )
    employer = Employer.objects.create(npp="EM000001", name="PT Satu")
    Contribution.objects.bulk_create(
        Contribution(
            member=member,
            employer=employer,
            period=date(year, month, 1),
            wage=2_000_000,
            jht_employer=65_000,
            jht_employee=35_000,
            paid_date=next_month(date(year, month, 1)).replace(day=10),
        )
        for year in (2016, 2017)
        for month in range(1, 13)
    )
    return member
