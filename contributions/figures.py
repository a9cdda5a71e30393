"""What is worked out from a member's whole history, cached between page views:
JHT balance, history checks, employers, yearly totals.

Working them out reads the whole history (40 years take ~20 ms), yet they
change only when that history or the statutory figures do. Entries are keyed by:
- Member.figures_version, moved in the same transaction as every change to the
  member's contributions or employments (the signals below; bulk writers call
  figures_changed(), and the import moves it for every member in its file), so
  a stale entry is never read again;
- a reference version in the cache, replaced when staff edit employers or
  statutory figures (rare; each process re-reads it every few seconds, and the
  entries' timeout bounds it should Redis ever miss a change);
- the day, since arrears and the balance's last year depend on it;
- the release (ibsu.lib.cache_keys): what an earlier one stored is never read.
Official documents (PDF statements) never use this cache: they compute afresh.
"""

import time
from datetime import date
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from accounts.models import Member
from contributions.balance import JhtBalance, jht_balance_for_member
from contributions.models import (
    Contribution,
    DevelopmentRate,
    Employer,
    Employment,
    Holiday,
    JkpFunding,
    MinimumWage,
    PaymentTerms,
    ReliefPeriod,
    StatutoryRate,
    WageCap,
)
from ibsu.lib.cache_keys import code_fingerprint, row_key

REFERENCE_VERSION_KEY = "figures:reference-version"
TIMEOUT_SECONDS = 6 * 3600


class MemberFigures:
    """One member's cached figures, for one request: fetched together in one
    round trip, each worked out and stored when missing."""

    def __init__(self, *, member: Member, today: date):
        # The member's version is the one loaded with the request's user: a
        # change committed since then is stored under the old key, never read.
        self.prefix = ":".join(
            (
                "figures",
                code_fingerprint(),
                row_key(member.pk, member.date_joined),
                str(member.figures_version),
                _reference_version(),
                today.isoformat(),
            )
        )

    def get(self, **computations) -> dict:
        """{name: value} for each name=function given, cached or computed."""
        keys = {name: f"{self.prefix}:{name}" for name in computations}
        found = cache.get_many(keys.values())
        values, computed = {}, {}
        for name, key in keys.items():
            if key in found:
                values[name] = found[key]
            else:
                values[name] = computed[key] = computations[name]()
        if computed:
            cache.set_many(computed, TIMEOUT_SECONDS)
        return values


def member_balance(*, member: Member, today: date) -> JhtBalance:
    return MemberFigures(member=member, today=today).get(
        balance=lambda: jht_balance_for_member(member=member, until_year=today.year)
    )["balance"]


def figures_changed(member_ids) -> None:
    """These members' cached figures are stale (call in the writing transaction)."""
    Member.objects.filter(pk__in=member_ids).update(
        figures_version=F("figures_version") + 1
    )


def reference_changed() -> None:
    """Every member's cached figures are stale once this transaction commits."""
    transaction.on_commit(_replace_reference_version)


def _replace_reference_version() -> None:
    global _reference_memo
    cache.set(REFERENCE_VERSION_KEY, uuid4().hex, timeout=None)
    _reference_memo = None


# The reference version, remembered by each process for a few seconds: one
# Redis round trip fewer per page. Other processes see a staff edit of the
# statutory figures that much later.
REFERENCE_MEMO_SECONDS = 5
_reference_memo: tuple[float, str] | None = None


def _reference_version() -> str:
    global _reference_memo
    now = time.monotonic()
    if _reference_memo and now - _reference_memo[0] < REFERENCE_MEMO_SECONDS:
        return _reference_memo[1]
    version = cache.get(REFERENCE_VERSION_KEY)
    if version is None:
        cache.add(REFERENCE_VERSION_KEY, uuid4().hex, timeout=None)
        # None when the cache is unreachable: a version nothing was stored under.
        version = cache.get(REFERENCE_VERSION_KEY) or uuid4().hex
    _reference_memo = (now, version)
    return version


def _member_rows_changed(sender, instance, **kwargs) -> None:
    figures_changed([instance.member_id])


def _reference_rows_changed(sender, **kwargs) -> None:
    reference_changed()


def connect_signals() -> None:
    for model in (Contribution, Employment):
        post_save.connect(_member_rows_changed, sender=model)
        post_delete.connect(_member_rows_changed, sender=model)
    reference = (
        Employer,
        StatutoryRate,
        WageCap,
        DevelopmentRate,
        MinimumWage,
        PaymentTerms,
        ReliefPeriod,
        Holiday,
        JkpFunding,
    )
    for model in reference:
        post_save.connect(_reference_rows_changed, sender=model)
        post_delete.connect(_reference_rows_changed, sender=model)
