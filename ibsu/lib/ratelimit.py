"""Fixed-window rate limits kept in the cache (Redis in production)."""

import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from ibsu.lib.client_ip import client_ip


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window: int) -> int | None:
    """Count one hit; return the seconds to wait when over `limit` in the window."""
    now = time.time()
    window_start = int(now // window) * window
    cache_key = f"ratelimit:{scope}:{key}:{window_start}"
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        hits = 1
    if hits > limit:
        return max(1, int(window_start + window - now))
    return None


def too_many_requests(request, retry_after: int):
    """HTTP 429 with Retry-After and a page that says how long to wait."""
    minutes = max(1, math.ceil(retry_after / 60))
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def ratelimit_by_ip(
    *, scope: str, limit_setting: str, window_setting: str, methods=("POST",)
):
    """Answer HTTP 429 with Retry-After to an address asking too often.

    Limits are read from the named settings at request time.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                retry_after = rate_limit_exceeded(
                    scope=scope,
                    key=client_ip(request),
                    limit=getattr(settings, limit_setting),
                    window=getattr(settings, window_setting),
                )
                if retry_after is not None:
                    return too_many_requests(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
