import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Session key holding when the member last proved who they are (epoch seconds).
AUTH_TIME_KEY = "auth_time"
# Session key holding when the idle timer was last pushed back.
SEEN_KEY = "seen"
# The idle timer moves at most this often: saving the session on every page
# view cost a database write and commit per request (measured by make bench).
SEEN_EVERY_SECONDS = 60


def mark_authenticated_now(request) -> None:
    request.session[AUTH_TIME_KEY] = int(time.time())


class SessionLifetimeMiddleware:
    """End a session SESSION_ABSOLUTE_LIFETIME after login, however active it is.

    The idle timeout is the session's own age, pushed back at most once a
    minute while the member is active, so it ends SESSION_COOKIE_AGE after
    the last request, give or take a minute.
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
            now = int(time.time())
            if now - request.session.get(SEEN_KEY, 0) >= SEEN_EVERY_SECONDS:
                request.session[SEEN_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)
