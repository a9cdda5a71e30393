"""Authorization sweep: another member's object id is a 404 on every route.

The routes come from the URLconf, not from a hand-kept list: every pattern that
takes a parameter is found by walking django.urls.get_resolver(), and each one
must be either in OWNED_ROUTES (how to build the owner's objects, what a POST
would try to change) or in EXEMPT (why it is not member-scoped). A new route
that takes an id therefore fails this file until someone says which it is.

For each owned route a second member, signed in through the real login page
(so the recent-sign-in check of accounts/decorators.py is satisfied), sends GET
and POST with the owner's ids. Each must answer 404 (405 for a GET to a
POST-only view), exactly as for an id that does not exist, must not show the
owner's data, and must change nothing: the rows of Heir, Claim,
ClaimDocument, ClaimEvent and GeneratedDocument, the owner's own record, audit
trail and outgoing mail, and the private files are compared before and after.
"""

import hashlib
import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from accounts.models import Heir, Member
from accounts.profile import services as profile
from audit.models import AuditEntry
from claims import services as claim_services
from claims.models import Claim, ClaimDocument, ClaimEvent
from documents.models import GeneratedDocument
from outbox.models import OutboxMessage
from privacy.models import DataExport
from privacy.services import data_export_build, data_export_request
from tests.conftest import post_login
from tests.factories import DEFAULT_PASSWORD, nik_for

pytestmark = pytest.mark.django_db

MISSING_ID = 987_654_321


# --- The URLconf --------------------------------------------------------------


class Route(NamedTuple):
    key: str  # "namespace:name", or the route text for an unnamed pattern
    route: str
    params: tuple[str, ...]
    app_names: tuple[str, ...]


def _walk(patterns, prefix="", namespaces=(), app_names=(), inherited=()):
    for pattern in patterns:
        params = inherited + tuple(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns,
                route,
                namespaces + ((pattern.namespace,) if pattern.namespace else ()),
                app_names + ((pattern.app_name,) if pattern.app_name else ()),
                params,
            )
        elif isinstance(pattern, URLPattern) and params:
            key = ":".join((*namespaces, pattern.name)) if pattern.name else route
            yield Route(key, route, params, app_names)


def routes_with_parameters() -> dict[str, Route]:
    """Every route that takes a parameter (an id, a token, a code...)."""
    return {route.key: route for route in _walk(get_resolver().url_patterns)}


# --- Routes that are not member-scoped, and why --------------------------------

EXEMPT = {
    "accounts:email_confirm": (
        "the token is the credential; it is signed, names the member and the "
        "current address, and is refused for anyone else "
        "(test_an_email_change_link_does_nothing_for_another_member)"
    ),
    "accounts:password_reset_confirm": (
        "public by design: Django's reset token (uidb64 + HMAC over the password "
        "hash and last login) is the credential"
    ),
    "accounts:activate_confirm": (
        "public by design: a signed, expiring activation token is the credential"
    ),
    "documents:verify": (
        "public by design: anyone holding a PDF checks its code; the page shows "
        "the kind, date, a masked name and the file's SHA-256, rate-limited"
    ),
    "accounts:heirs_old_address": (
        "a permanent redirect from /accounts/nominees/… to /accounts/heirs/…, "
        "which checks the owner; it reads nothing itself"
    ),
    "captcha-image": "public: a random CAPTCHA key, no member data",
    "captcha-image-2x": "public: a random CAPTCHA key, no member data",
    "captcha-audio": "public: a random CAPTCHA key, no member data",
}
# Every route of these URL namespaces (by app name) is exempt as a whole.
EXEMPT_APPS = {
    "admin": (
        "staff only: the admin site demands is_staff and a session verified by a "
        "second factor, then Django's model permissions "
        "(test_a_member_gets_no_admin_object_page checks a member is turned away)"
    ),
}


def is_exempt(route: Route) -> bool:
    return route.key in EXEMPT or bool(EXEMPT_APPS.keys() & set(route.app_names))


# --- The owner's objects --------------------------------------------------------


class World(NamedTuple):
    owner: Member
    intruder: Member
    heir: Heir
    claim: Claim
    claim_document: ClaimDocument
    generated_document: GeneratedDocument
    intruder_claim: Claim
    intruder_document: ClaimDocument


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 200, 200)).save(out, format="PNG")
    return SimpleUploadedFile("scan.png", out.getvalue(), content_type="image/png")


def heir_for(member, name, relationship, born, serial, share) -> Heir:
    return Heir.objects.create(
        member=member,
        full_name=name,
        nik=nik_for(born, female=False, serial=serial),
        relationship=relationship,
        date_of_birth=born,
        share_percent=share,
    )


@pytest.fixture
def world(member, other_member) -> World:
    spouse = heir_for(member, "Agus Pratama", "spouse", date(1987, 9, 3), 101, 60)
    heir_for(member, "Putri Pratama", "child", date(2014, 2, 25), 102, 40)
    heir_for(other_member, "Rina Santoso", "spouse", date(1991, 1, 7), 201, 100)
    claim = Claim.objects.create(
        member=member,
        programme="JKK",
        reason=Claim.Reason.ACCIDENT,
        bank_name="Bank Rakyat Indonesia",
        bank_account_number="002301000123567",
        bank_account_holder=member.full_name,
    )
    claim_document = claim_services.claim_document_add(
        claim=claim, kind=ClaimDocument.Kind.ID_CARD, upload=png()
    )
    generated = GeneratedDocument(
        member=member,
        kind=GeneratedDocument.Kind.MEMBERSHIP_CARD,
        language="en",
        status=GeneratedDocument.Status.READY,
        data_hash="0" * 64,
    )
    generated.file.save("card.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    intruder_claim = Claim.objects.create(
        member=other_member, programme="JHT", reason=Claim.Reason.RESIGNATION
    )
    intruder_document = claim_services.claim_document_add(
        claim=intruder_claim, kind=ClaimDocument.Kind.ID_CARD, upload=png()
    )
    return World(
        owner=member,
        intruder=other_member,
        heir=spouse,
        claim=claim,
        claim_document=claim_document,
        generated_document=generated,
        intruder_claim=intruder_claim,
        intruder_document=intruder_document,
    )


def owner_secrets(w: World) -> list[str]:
    """What must never appear on a page the intruder gets."""
    return [
        w.heir.full_name,
        w.heir.nik,
        w.claim.number,
        w.claim.bank_account_number,
        w.generated_document.code,
        w.owner.nik,
    ]


# --- How to reach each owned route and what a POST would try --------------------


def _heir_rows(w: World, **changes) -> dict:
    """The heir editor, rewriting the owner's spouse as the intruder's heir."""
    prefix = "heirs"
    row = {
        "id": w.heir.pk,
        "full_name": "Penipu Jahat",
        "nik": nik_for(date(1980, 1, 1), female=False, serial=999),
        "relationship": "spouse",
        "date_of_birth": "1980-01-01",
        "phone": "",
        "share_percent": "100",
        **changes,
    }
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    data.update({f"{prefix}-0-{name}": value for name, value in row.items()})
    return data


def _claim_details(w: World) -> dict:
    return {
        "bank_name": "Bank Penipu",
        "bank_account_number": "999999999999",
        "bank_account_holder": w.intruder.full_name,
        "holder_differs_reason": "",
        "accident_date": "2025-03-14",
        "accident_place": "Di mana saja",
        "accident_description": "Tidak pernah terjadi.",
        "accident_report_number": "LK-0000",
    }


@dataclass(frozen=True)
class Owned:
    """How to point a route at the owner's object(s), and what a POST sends.

    `variants` gives one or more sets of URL kwargs; the first must be a URL the
    owner can open. `post_only` views answer a GET with 405 before any lookup.
    """

    variants: Callable[[World], list[dict]]
    post: Callable[[World], dict] = field(default=lambda w: {})
    post_only: bool = False


OWNED_ROUTES: dict[str, Owned] = {
    "accounts:heir_detail": Owned(lambda w: [{"pk": w.heir.pk}]),
    "accounts:heir_edit": Owned(lambda w: [{"pk": w.heir.pk}], _heir_rows),
    "accounts:heir_delete": Owned(
        lambda w: [{"pk": w.heir.pk}], lambda w: _heir_rows(w, DELETE="on")
    ),
    "claims:detail": Owned(lambda w: [{"pk": w.claim.pk}]),
    "claims:edit": Owned(lambda w: [{"pk": w.claim.pk}], _claim_details),
    "claims:upload": Owned(
        lambda w: [{"pk": w.claim.pk}],
        lambda w: {"kind": ClaimDocument.Kind.FAMILY_CARD, "file": png()},
        post_only=True,
    ),
    "claims:submit": Owned(lambda w: [{"pk": w.claim.pk}], post_only=True),
    "claims:cancel": Owned(lambda w: [{"pk": w.claim.pk}], post_only=True),
    "claims:document": Owned(
        lambda w: [
            {"pk": w.claim.pk, "document_pk": w.claim_document.pk},
            # The intruder's own claim with the owner's document in the path...
            {"pk": w.intruder_claim.pk, "document_pk": w.claim_document.pk},
            # ...and the owner's claim with the intruder's own document.
            {"pk": w.claim.pk, "document_pk": w.intruder_document.pk},
        ]
    ),
    "documents:download": Owned(lambda w: [{"pk": w.generated_document.pk}]),
    "privacy:download": Owned(lambda w: [{"pk": _ready_export(w.owner).pk}]),
}


# --- Before and after -------------------------------------------------------------


def _rows(queryset) -> list[dict]:
    return list(queryset.order_by("pk").values())


def _private_files() -> dict[str, str]:
    found = {}
    for folder, _dirs, files in os.walk(settings.PRIVATE_ROOT):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as file:
                found[path] = hashlib.sha256(file.read()).hexdigest()
    return found


def _ready_export(member) -> DataExport:
    """The owner's copy of their data, built as the worker would build it."""
    export, _created = data_export_request(member=member, language="en")
    return data_export_build(export_id=export.pk)


def snapshot(owner: Member) -> dict:
    return {
        "owner": _rows(Member.objects.filter(pk=owner.pk)),
        "heirs": _rows(Heir.objects.all()),
        "claims": _rows(Claim.objects.all()),
        "claim_documents": _rows(ClaimDocument.objects.all()),
        "claim_events": _rows(ClaimEvent.objects.all()),
        "generated_documents": _rows(GeneratedDocument.objects.all()),
        "data_exports": _rows(DataExport.objects.all()),
        "owner_audit": _rows(AuditEntry.objects.filter(member=owner)),
        "outbox": _rows(OutboxMessage.objects.all()),
        "files": _private_files(),
    }


def fetch(client, method: str, url: str, data: dict):
    """GET or POST and the whole body.

    Reading a streamed file to the end closes it through the test client, which
    keeps the database connection open; response.close() here would not.
    """
    response = client.get(url) if method == "GET" else client.post(url, data)
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response.status_code, body.decode(errors="replace")


def _missing(kwargs: dict) -> dict:
    return dict.fromkeys(kwargs, MISSING_ID)


def _expected(spec: Owned, method: str) -> int:
    return 405 if spec.post_only and method == "GET" else 404


def _sweep_cases() -> list[str]:
    """Owned routes, plus any unlisted one: it then fails with what to do."""
    routes = routes_with_parameters()
    found = {key for key, route in routes.items() if not is_exempt(route)}
    return sorted(found | OWNED_ROUTES.keys())


# --- The tests ------------------------------------------------------------------


def test_every_route_with_an_id_is_listed_as_owned_or_exempt():
    routes = routes_with_parameters()
    unlisted = [
        f"{key} ({route.route})"
        for key, route in routes.items()
        if key not in OWNED_ROUTES and not is_exempt(route)
    ]
    assert not unlisted, (
        "Routes that take a parameter but are neither in OWNED_ROUTES nor EXEMPT "
        f"in {__name__}: {unlisted}"
    )
    stale = sorted((OWNED_ROUTES.keys() | EXEMPT.keys()) - routes.keys())
    assert not stale, f"Listed routes that no longer exist: {stale}"
    both = sorted(OWNED_ROUTES.keys() & EXEMPT.keys())
    assert not both, f"Listed both as owned and as exempt: {both}"


def test_the_sweep_finds_the_member_routes_it_should():
    """Guards the URLconf walk itself: it must see nested namespaces."""
    routes = routes_with_parameters()
    assert routes["claims:document"].params == ("pk", "document_pk")
    assert routes["accounts:heir_edit"].route == "accounts/heirs/<int:pk>/edit/"
    assert any("admin" in route.app_names for route in routes.values())


@pytest.mark.parametrize("key", _sweep_cases())
def test_another_members_id_is_a_404_and_changes_nothing(key, world, login):
    route = routes_with_parameters().get(key)
    assert route is not None, f"{key} is in OWNED_ROUTES but not in the URLconf"
    spec = OWNED_ROUTES.get(key)
    assert spec is not None, (
        f"{key} ({route.route}) takes {route.params}: add it to OWNED_ROUTES with "
        "how to build the owner's objects, or to EXEMPT with the reason"
    )
    variants = spec.variants(world)

    # The owner reaches the first variant: the 404 below is about who asks.
    owner_client = Client()
    signed_in = post_login(owner_client, world.owner.kpj_number, DEFAULT_PASSWORD)
    assert signed_in.status_code == 302, signed_in.content.decode()[:300]
    status, _body = fetch(owner_client, "GET", reverse(key, kwargs=variants[0]), {})
    assert status == (405 if spec.post_only else 200), (key, status)

    intruder = login(world.intruder)
    secrets = owner_secrets(world)
    before = snapshot(world.owner)
    for kwargs in variants:
        url = reverse(key, kwargs=kwargs)
        absent = reverse(key, kwargs=_missing(kwargs))
        for method in ("GET", "POST"):
            status, body = fetch(intruder, method, url, spec.post(world))
            assert status == _expected(spec, method), (key, kwargs, method, status)
            missing_status, _ = fetch(intruder, method, absent, spec.post(world))
            assert status == missing_status, (key, method, status, missing_status)
            shown = [secret for secret in secrets if secret in body]
            assert not shown, (key, kwargs, method, shown)
    after = snapshot(world.owner)
    changed = {name for name in before if before[name] != after[name]}
    assert not changed, (key, changed)


def test_the_owner_sees_the_objects_the_sweep_protects(world, login):
    """The fixture builds real objects of the owner, shown on the owner's pages."""
    client = login(world.owner)
    status, body = fetch(client, "GET", reverse("accounts:heirs"), {})
    assert status == 200 and world.heir.full_name in body
    status, body = fetch(client, "GET", reverse("claims:list"), {})
    assert status == 200 and world.claim.number in body
    assert world.intruder_claim.number not in body


def test_an_email_change_link_does_nothing_for_another_member(world, login):
    """The one member-bound token route: another member's link is refused."""
    profile.email_change_request(
        member=world.owner, new_email="siti.baru@example.com", ip="127.0.0.1"
    )
    message = OutboxMessage.objects.get(to="siti.baru@example.com")
    path = re.search(r"http://testserver(/\S+)", message.body_text).group(1)
    owner_email, intruder_email = world.owner.email, world.intruder.email

    status, _body = fetch(login(world.intruder), "GET", path, {})

    assert status == 400
    world.owner.refresh_from_db()
    world.intruder.refresh_from_db()
    assert (world.owner.email, world.intruder.email) == (owner_email, intruder_email)


ADMIN_OBJECT_PAGES = ("change", "delete", "history")


def _admin_pages(w: World) -> Iterator[tuple[str, int]]:
    """The admin's object pages for the owner's objects, where the model has any."""
    registered = {
        route.key.split(":", 1)[1]
        for route in routes_with_parameters().values()
        if "admin" in route.app_names and ":" in route.key
    }
    for obj in (w.owner, w.heir, w.claim, w.claim_document, w.generated_document):
        for page in ADMIN_OBJECT_PAGES:
            name = f"{obj._meta.app_label}_{obj._meta.model_name}_{page}"
            if name in registered:
                yield f"admin:{name}", obj.pk


def test_a_member_gets_no_admin_object_page(world, login):
    client = login(world.intruder)
    secrets = owner_secrets(world)
    before = snapshot(world.owner)
    pages = list(_admin_pages(world))
    assert pages, "no admin object pages found for the member's models"
    admin_login = reverse("admin:login")
    for name, pk in pages:
        url = reverse(name, args=[pk])
        for method in ("GET", "POST"):
            response = getattr(client, method.lower())(url, {"post": "yes"})
            assert response.status_code == 302, (name, method, response.status_code)
            assert response.url.startswith(admin_login), (name, response.url)
            body = response.content.decode()
            assert not [secret for secret in secrets if secret in body], name
    assert snapshot(world.owner) == before
