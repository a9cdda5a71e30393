import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Session key holding when the member last proved who they are (epoch seconds).
AUTH_TIME_KEY = "auth_time"


def mark_authenticated_now(request) -> None:
    request.session[AUTH_TIME_KEY] = int(time.time())


class SessionLifetimeMiddleware:
    """End a session SESSION_ABSOLUTE_LIFETIME after login, however active it is.

    The idle timeout is the session cookie's own age (renewed on each request).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(AUTH_TIME_KEY, 0)
            if (
                time.time() - started
                > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            ):
                logout(request)
                messages.info(
                    request, _("Your session has ended. Please sign in again.")
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
