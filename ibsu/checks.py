"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

_PER_PROCESS_CACHE = "django.core.cache.backends.locmem.LocMemCache"


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    if settings.CACHES["default"]["BACKEND"] != _PER_PROCESS_CACHE:
        return []
    return [
        Warning(
            "CACHE_URL is not set: the cache lives in each process's memory.",
            hint=(
                "Set CACHE_URL to a Redis database: with several web processes, "
                "rate limits count per process, sessions are not read through "
                "the cache, and staff edits of statutory figures reach only the "
                "process that saved them until the cached figures expire."
            ),
            id="ibsu.W001",
        )
    ]
