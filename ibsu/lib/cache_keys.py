"""What the keys of cached page parts and figures are made of, besides the
version that moves with the data."""

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings


@cache
def code_fingerprint() -> str:
    """Changes with any of the project's Python modules, templates or compiled
    translations: what an earlier release cached (markup, pickled figures) is
    never read by a later one, even across a rolling deploy."""
    base = Path(settings.BASE_DIR)
    project_apps = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).parent == base
    ]
    files = sorted(
        [path for app in project_apps for path in app.rglob("*.py")]
        + [path for path in (base / "templates").rglob("*") if path.is_file()]
        + list((base / "locale").rglob("*.mo"))
    )
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def row_key(pk: int, created) -> str:
    """A row's id with its creation time: when a database restored from a
    backup hands the id out again, what was cached for the row that had it
    is not read for the new one."""
    return f"{pk}.{created.timestamp():.6f}"
