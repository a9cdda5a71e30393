"""Cross-cutting request handling: request ids, headers, maintenance mode."""

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.shortcuts import render

from ibsu.lib.request_id import request_id_var

_VALID_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


class RequestIdMiddleware:
    """Give each request an id, echo it in X-Request-ID and on error pages.

    An id sent by our own proxy is kept (if it looks like one), so a member's
    report, the proxy log and our logs can be joined.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("x-request-id", "")
        request.id = sent if _VALID_ID.fullmatch(sent) else uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class SecurityHeadersMiddleware:
    """What Django's SecurityMiddleware does not set: TRACE refused,
    Permissions-Policy, and no caching of pages that show member data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"TRACE", "TRACK"}:
            return HttpResponseNotAllowed(["GET", "POST", "HEAD", "OPTIONS"])
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class MaintenanceModeMiddleware:
    """While MAINTENANCE_MODE is on or the flag file exists, members see a
    maintenance page; staff admin, the health check and static files work."""

    OPEN_PREFIXES = ("/admin/", "/healthz", "/static/", "/accounts/login/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._active() and not request.path.startswith(self.OPEN_PREFIXES):
            user = getattr(request, "user", None)
            if not (user and user.is_authenticated and user.is_staff):
                response = render(request, "maintenance.html", status=503)
                response["Retry-After"] = "600"
                return response
        return self.get_response(request)

    @staticmethod
    def _active() -> bool:
        flag = settings.MAINTENANCE_FLAG_FILE
        return settings.MAINTENANCE_MODE or bool(flag and Path(flag).exists())
