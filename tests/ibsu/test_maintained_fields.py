"""Columns kept by UPDATE statements elsewhere survive a save() of an older copy,
and save() otherwise behaves as Django's own."""

import pytest
from django.db.models import F

from claims.models import Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(member):
    return Claim.objects.create(
        member=member, programme="JKK", reason="accident", status="submitted"
    )


def test_an_older_copy_saved_keeps_the_newer_version(claim):
    older = Claim.objects.get(pk=claim.pk)
    Claim.objects.filter(pk=claim.pk).update(history_version=F("history_version") + 1)

    older.bank_name = "Bank Mandiri"
    older.save()

    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.bank_name, saved.history_version) == ("Bank Mandiri", 1)


def test_a_copy_made_by_clearing_the_id_is_a_new_row(claim):
    claim.pk = None
    claim.save()

    assert Claim.objects.count() == 2


def test_a_partly_loaded_row_saves_only_what_was_loaded(
    claim, django_assert_num_queries
):
    partial = Claim.objects.only("bank_name").get(pk=claim.pk)
    partial.bank_name = "Bank Mandiri"

    with django_assert_num_queries(1):  # no reads of the deferred columns
        partial.save()

    assert Claim.objects.get(pk=claim.pk).bank_name == "Bank Mandiri"


def test_new_rows_are_inserted_whole(member):
    claim = Claim(member=member, programme="JKK", reason="accident", history_version=3)
    claim.save()

    assert Claim.objects.get(pk=claim.pk).history_version == 3
