from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of the client, trusting X-Forwarded-For only as far as our proxies.

    With TRUSTED_PROXY_COUNT = N, the last N hops of X-Forwarded-For were written
    by our own proxies, so the client is the N-th entry from the right. Anything
    further left was written by the client and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote
    return hops[-trusted]
