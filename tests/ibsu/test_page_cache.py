"""The one caching mechanism: page parts keyed by version, language and release."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.autoreload import file_changed

from claims import services as claim_services
from claims.models import Claim
from ibsu.lib import page_cache
from ibsu.lib.page_cache import Parts, cached, invalidate
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self, value="computed"):
        self.calls += 1
        return f"{value} {self.calls}"


def test_a_part_is_computed_once_then_read_until_its_owner_is_invalidated(member):
    compute = Counter()

    first = cached("figures", member, "balance", compute)
    again = cached("figures", member, "balance", compute)
    invalidate("figures", [member.pk])
    after = cached("figures", member, "balance", compute)

    assert (first, again, after) == ("computed 1", "computed 1", "computed 2")


def test_invalidating_one_member_leaves_the_others_parts(member, other_member):
    compute = Counter()
    cached("figures", member, "balance", compute)
    cached("figures", other_member, "balance", compute)

    invalidate("figures", [member.pk])

    assert cached("figures", other_member, "balance", compute) == "computed 2"
    assert cached("figures", member, "balance", compute) == "computed 3"


def test_a_shared_scope_invalidates_every_member_that_depends_on_it(
    member, other_member
):
    compute = Counter()
    cached("figures", member, "balance", compute)
    cached("figures", other_member, "balance", compute)

    invalidate("statutory")  # staff edited a rate: every member's figures

    assert cached("figures", member, "balance", compute) == "computed 3"
    assert cached("figures", other_member, "balance", compute) == "computed 4"


def test_each_language_has_its_own_part(member):
    compute = Counter()

    with translation.override("id"):
        indonesian = cached("figures", member, "table", lambda: compute("id"))
    with translation.override("en"):
        english = cached("figures", member, "table", lambda: compute("en"))

    assert (indonesian, english) == ("id 1", "en 2")


def test_an_id_handed_out_again_after_a_restore_does_not_see_the_old_rows_parts(
    member,
):
    cached("figures", member, "balance", lambda: "Siti's")
    newcomer = MemberFactory()
    newcomer.pk = member.pk  # as a restored database could hand it out again

    assert cached("figures", newcomer, "balance", lambda: "newcomer's") == (
        "newcomer's"
    )


def test_several_parts_cost_one_query_and_one_cache_round_trip(member):
    with CaptureQueriesContext(connection) as queries:
        parts = Parts("figures", member)
    values = parts.get(a=lambda: 1, b=lambda: 2)

    assert values == {"a": 1, "b": 2}
    assert len(queries) == 1  # the versions of the member and the shared scope


def test_invalidation_is_part_of_the_writing_transaction(member):
    compute = Counter()
    cached("figures", member, "balance", compute)

    with pytest.raises(RuntimeError), transaction.atomic():
        invalidate("figures", [member.pk])
        raise RuntimeError("the write failed")

    # Rolled back with the write: the kept part is still the right one.
    assert cached("figures", member, "balance", compute) == "computed 1"


# --- the release: an edited template shows at once ------------------------------


@pytest.fixture
def editable_templates(settings, tmp_path):
    """The project's templates copied where a test may edit them."""
    copy = tmp_path / "templates"
    shutil.copytree(Path(django_settings.BASE_DIR) / "templates", copy)
    engine = {**settings.TEMPLATES[0], "DIRS": [copy]}
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    page_cache._release = None
    yield copy
    page_cache._release = None


def edit(template: Path, marker: str) -> None:
    """Edit a template and tell Django as the development server's reloader
    does (Django resets its template loaders; the release is worked out again)."""
    template.write_text(template.read_text() + f"\n<!-- {marker} -->\n")
    file_changed.send(sender=None, file_path=template)


def test_an_edited_template_shows_at_once_in_every_kept_part(
    client, login, member, editable_templates
):
    claim = claim_services.claim_start(
        member=member,
        programme="JKK",
        reason=Claim.Reason.ACCIDENT,
        today=date.today(),
    )
    login(member)
    page = reverse("claims:detail", args=[claim.pk])
    before = client.get(page).content.decode()  # menu, upload form, history kept
    assert "<!-- edited" not in before

    for name in ("_main_menu.html", "_field.html", "claims/_timeline.html"):
        edit(editable_templates / name, f"edited {name}")
    after = client.get(page).content.decode()

    for name in ("_main_menu.html", "_field.html", "claims/_timeline.html"):
        assert f"edited {name}" in after, name
