import time
from functools import wraps

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.middleware import AUTH_TIME_KEY


def require_recent_auth(view):
    """Ask for the password again when the last sign-in is older than allowed.

    For sensitive changes (email, heirs): a session left open on a shared
    phone must not be enough to redirect benefits.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        age = time.time() - request.session.get(AUTH_TIME_KEY, 0)
        if age > settings.RECENT_AUTH_SECONDS:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:reauth')}?{query}")
        return view(request, *args, **kwargs)

    return wrapped
