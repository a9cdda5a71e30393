import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.forms import LoginForm
from accounts.middleware import mark_authenticated_now
from accounts.models import LoginEvent
from ibsu.lib.client_ip import client_ip


def _login_failed_message() -> str:
    """One message for every failure, so it never tells whether the account exists."""
    return _(
        "The member number/email or password is not correct. After %(limit)d failed "
        "attempts an account is locked for your protection."
    ) % {"limit": settings.LOGIN_FAILURE_LIMIT}


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    ip = client_ip(request)
    user_agent = request.headers.get("user-agent", "")
    form = LoginForm(request.POST or None)
    if request.method == "POST":
        retry_after = services.login_throttle_retry_after(ip=ip)
        if retry_after is not None:
            services.login_event_record(
                outcome=LoginEvent.Outcome.THROTTLED,
                identifier=request.POST.get("identifier", ""),
                ip=ip,
                user_agent=user_agent,
            )
            response = render(
                request,
                "accounts/login_throttled.html",
                {"minutes": math.ceil(retry_after / 60)},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        if form.is_valid():
            result = services.login_attempt(
                identifier=form.cleaned_data["identifier"],
                password=form.cleaned_data["password"],
                ip=ip,
                user_agent=user_agent,
            )
            if result.succeeded:
                login(request, result.member)
                mark_authenticated_now(request)
                response = redirect(_safe_next(request))
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    result.member.preferred_language,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    samesite="Lax",
                )
                return response
            form.add_error(None, _login_failed_message())
        elif "captcha" in form.errors:
            services.login_event_record(
                outcome=LoginEvent.Outcome.CAPTCHA_FAILED,
                identifier=request.POST.get("identifier", ""),
                ip=ip,
                user_agent=user_agent,
            )
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request) if "next" in request.GET else ""},
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect("accounts:login")


@login_required
def activity_view(request):
    events = LoginEvent.objects.filter(member=request.user).order_by("-created_at")
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/activity.html", {"page": page})
