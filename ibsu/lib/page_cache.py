"""Page parts kept between requests: the portal's one caching mechanism.

    parts = Parts("figures", member)        # one query: the versions
    values = parts.get(balance=..., rows=...)  # one cache round trip
    cached("layout", None, "menu:...", compute)  # a single part
    invalidate("figures", [member.pk])       # in the writing transaction

A part is worked out once and kept in Django's cache (Redis in production,
ibsu.lib.redis_cache) under a key made of everything it depends on:
- its scope and owner (a member, a claim) with the owner's version, a row of
  ibsu.CachedPartVersion that `invalidate` moves in the same transaction as
  the change (the services call it), so a stale part is never read again; the
  owner's creation time is in the key too, so an id handed out again after a
  restore from backup never meets the parts of the row that had it;
- the versions of the shared scopes it depends on (SCOPES);
- the active language;
- the release: a fingerprint of the project's code, templates and compiled
  translations, worked out again when the development server sees a file
  change (the signal Django's template reloader listens to), so an edited
  template shows at once and a deploy never reads the parts of the one before.
Values are data (pickled) or fragments rendered from templates: never markup
assembled in Python. Writes that bypass the services (a bare QuerySet.update()
in a shell) do not invalidate anything: run the service, or invalidate.
"""

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.autoreload import file_changed
from django.utils.translation import get_language

from ibsu.models import CachedPartVersion

TIMEOUT_SECONDS = 24 * 3600
SHARED = 0  # the owner id of a scope that belongs to no one


@dataclass(frozen=True)
class Scope:
    depends_on: tuple[str, ...] = ()  # shared scopes whose changes it follows
    created: str = ""  # the owner's creation-time attribute


SCOPES = {
    # A member's contributions, balance, checks and their tables and chart:
    # they change with the member's records and with the statutory figures.
    "figures": Scope(depends_on=("statutory",), created="date_joined"),
    "statutory": Scope(),  # rates, caps, reliefs, holidays, employers (shared)
    "documents": Scope(created="date_joined"),  # a member's requested documents
    "claim": Scope(created="created_at"),  # a claim's documents and timeline
    "layout": Scope(),  # menus and blank forms: language and release only
}


class Parts:
    """The parts of one scope and owner, for one request."""

    def __init__(self, scope: str, owner=None):
        definition = SCOPES[scope]
        versions = _versions(scope, owner, definition.depends_on)
        owner_key = "-"
        if owner is not None:
            created = getattr(owner, definition.created)
            owner_key = f"{owner.pk}.{created.timestamp():.6f}"
        self.prefix = ":".join(
            ("part", release(), scope, owner_key, versions, get_language() or "-")
        )
        self._held: dict[str, object] = {}  # what this request has read

    def prefetch(self, *names: str) -> None:
        """Read these parts in one round trip, for the get() calls to come."""
        keys = {self._key(name): name for name in names if name not in self._held}
        for key, value in cache.get_many(keys).items():
            self._held[keys[key]] = value

    def get(
        self, *, lifetime: Callable | None = None, **computations: Callable
    ) -> dict:
        """{name: value} for each name=function, kept or computed and kept.

        `lifetime(value)` may shorten how long a computed value is kept, in
        seconds: for parts that change with time alone (a render whose lease
        runs out shows as retrying though nothing was written).
        """
        wanted = [name for name in computations if name not in self._held]
        self.prefetch(*wanted)
        for name in computations:
            if name not in self._held:
                value = self._held[name] = computations[name]()
                seconds = lifetime(value) if lifetime else None
                cache.set(
                    self._key(name),
                    value,
                    min(seconds or TIMEOUT_SECONDS, TIMEOUT_SECONDS),
                )
        return {name: self._held[name] for name in computations}

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{_short(name)}"


def cached(
    scope: str, owner, part: str, compute: Callable, lifetime: Callable | None = None
):
    """One part: kept, or computed and kept (see Parts.get for `lifetime`)."""
    return Parts(scope, owner).get(lifetime=lifetime, **{part: compute})[part]


def invalidate(scope: str, owner_ids: Iterable[int] = (SHARED,)) -> None:
    """These owners' parts of `scope` are stale once this transaction commits.

    Call it in the transaction that changes what the parts show: its row stays
    locked until then, and a reader sees either the old data under the old
    version or the new data under the new one.
    """
    ids = sorted(set(owner_ids))
    if not ids:
        return
    table = connection.ops.quote_name(CachedPartVersion._meta.db_table)
    rows = ", ".join(["(%s, %s, 1)"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, owner_id, version) VALUES {rows} "  # noqa: S608 -- the table's name only  # nosec B608
            "ON CONFLICT (scope, owner_id) "
            f"DO UPDATE SET version = {table}.version + 1",
            [value for owner_id in ids for value in (scope, owner_id)],
        )


def invalidate_sql(scope: str, owner_ids_sql: str) -> str:
    """The statement that invalidates the owners a subquery names (a column
    owner_id), for set-based writers (the contributions import): run it in
    their transaction."""
    table = connection.ops.quote_name(CachedPartVersion._meta.db_table)
    return (
        f"INSERT INTO {table} (scope, owner_id, version) "  # noqa: S608 -- names only  # nosec B608
        f"SELECT '{scope}', owner_id, 1 FROM ({owner_ids_sql}) AS owners "
        "WHERE true "  # SQLite reads ON CONFLICT after a bare SELECT as a join
        f"ON CONFLICT (scope, owner_id) DO UPDATE SET version = {table}.version + 1"
    )


def _versions(scope: str, owner, depends_on: tuple[str, ...]) -> str:
    if owner is None and not depends_on:
        return "0"  # nothing to look up: the layout scope
    wanted = [(name, SHARED) for name in depends_on]
    if owner is not None:
        wanted.insert(0, (scope, owner.pk))
    # Plain SQL: on every signed-in page, the ORM's query building cost more
    # than the round trip (make bench).
    table = connection.ops.quote_name(CachedPartVersion._meta.db_table)
    where = " OR ".join(["(scope = %s AND owner_id = %s)"] * len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, owner_id, version FROM {table} WHERE {where}",  # noqa: S608 -- the table's name only  # nosec B608
            [value for pair in wanted for value in pair],
        )
        found = {
            (row_scope, owner_id): version for row_scope, owner_id, version in cursor
        }
    return ".".join(str(found.get(pair, 0)) for pair in wanted)


_PLAIN = re.compile(r"[A-Za-z0-9:._-]{1,80}")


def _short(name: str) -> str:
    """Part names may hold a form's choices (spaces, any language, any length):
    those are hashed, so every key is short and plain."""
    if _PLAIN.fullmatch(name):
        return name
    return hashlib.blake2b(name.encode(), digest_size=12).hexdigest()


_release: str | None = None


def release() -> str:
    """A fingerprint of the project's Python modules, templates and compiled
    translations, worked out once per process and again after a file change
    the development server reports."""
    global _release
    if _release is None:
        _release = _fingerprint()
    return _release


def _fingerprint() -> str:
    base = Path(settings.BASE_DIR)
    project_apps = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).parent == base
    ]
    template_dirs = [Path(d) for engine in settings.TEMPLATES for d in engine["DIRS"]]
    files = sorted(
        [path for app in project_apps for path in app.rglob("*.py")]
        + [path for d in template_dirs for path in d.rglob("*") if path.is_file()]
        + list((base / "locale").rglob("*.mo"))
    )
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _file_changed(sender, file_path, **kwargs) -> None:
    global _release
    _release = None


file_changed.connect(_file_changed, dispatch_uid="ibsu.lib.page_cache")
