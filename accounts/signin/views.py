import time

import django_otp
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
from django_otp.plugins.otp_email.models import EmailDevice

from accounts.middleware import mark_authenticated_now
from accounts.models import LoginEvent, Member
from accounts.signin import services
from accounts.signin.forms import LoginForm, ReauthForm, SecondStepForm
from accounts.two_factor import services as two_factor
from ibsu.lib.client_ip import client_ip
from ibsu.lib.language import remember_language
from ibsu.lib.ratelimit import too_many_requests

# Session key of a sign-in that passed the password and waits for the second step.
PENDING_KEY = "pending_login"


def _login_failed_message() -> str:
    """One message for every failure, so it never tells whether the account exists."""
    return _(
        "The member number/email or password is not correct. After %(limit)d failed "
        "attempts an account is locked for your protection."
    ) % {"limit": settings.LOGIN_FAILURE_LIMIT}


def _safe_next(request, target: str = "") -> str:
    target = target or request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _sign_in(request, member: Member, *, device=None, next_url: str = ""):
    """Finish a sign-in: new session key, second factor recorded, member's language."""
    login(request, member)
    if device is not None:
        django_otp.login(request, device)
    mark_authenticated_now(request)
    services.member_signed_in(
        member=member,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    return remember_language(
        redirect(_safe_next(request, next_url)), member.preferred_language
    )


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
            return too_many_requests(request, retry_after)
        if form.is_valid():
            identifier = form.cleaned_data["identifier"]
            result = services.login_attempt(
                identifier=identifier,
                password=form.cleaned_data["password"],
                ip=ip,
                user_agent=user_agent,
            )
            if result.succeeded and two_factor.has_two_factor(result.member):
                services.second_step_started(
                    member=result.member,
                    identifier=identifier,
                    ip=ip,
                    user_agent=user_agent,
                )
                request.session.cycle_key()
                request.session[PENDING_KEY] = {
                    "member": result.member.pk,
                    "started": time.time(),
                    "next": _safe_next(request),
                }
                return redirect("accounts:login_verify")
            if result.succeeded:
                return _sign_in(request, result.member)
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


def _pending_member(request) -> tuple[Member | None, dict]:
    """The member half-way through signing in, while the second step is still open."""
    pending = request.session.get(PENDING_KEY) or {}
    age = time.time() - pending.get("started", 0)
    if not pending or age > settings.LOGIN_SECOND_STEP_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, {}
    member = Member.objects.filter(
        pk=pending["member"], is_active=True, locked_at=None
    ).first()
    return member, pending


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_verify_view(request):
    member, pending = _pending_member(request)
    if member is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    email_device = EmailDevice.objects.filter(user=member, confirmed=True).first()
    method, choose = two_factor.code_sources(member, emailed="emailed" in pending)
    form = SecondStepForm(
        request.POST if "code" in request.POST else None, initial={"method": method}
    )
    if (
        request.method == "POST"
        and request.POST.get("action") == "send_email"
        and email_device
    ):
        request.session[PENDING_KEY] = {**pending, "emailed": True}
        if two_factor.email_code_send(device=email_device):
            messages.success(
                request, _("We have emailed you a code. It is valid for 5 minutes.")
            )
        else:
            messages.warning(
                request,
                _("A code was sent a moment ago. Please wait before asking again."),
            )
        return redirect("accounts:login_verify")
    if form.is_valid():
        ip = client_ip(request)
        device = two_factor.second_factor_verify(
            member=member,
            code=form.cleaned_data["code"],
            method=form.cleaned_data["method"] or method,
            ip=ip,
            user_agent=request.headers.get("user-agent", ""),
        )
        if device is not None:
            del request.session[PENDING_KEY]
            return _sign_in(request, member, device=device, next_url=pending["next"])
        member.refresh_from_db(fields=["locked_at"])
        if member.is_locked:
            request.session.pop(PENDING_KEY, None)
            messages.error(request, _login_failed_message())
            return redirect("accounts:login")
        form.add_error(
            "code",
            _(
                "This code is not correct or has expired. "
                "Wait a few seconds before trying again."
            ),
        )
    return render(
        request,
        "accounts/login_verify.html",
        {"form": form, "email_device": email_device, "choose": choose},
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


@sensitive_post_parameters("password")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reauth_view(request):
    form = ReauthForm(request.POST or None)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "accounts:profile"
    if form.is_valid():
        member = request.user
        password_ok = member.check_password(form.cleaned_data["password"])
        member.refresh_from_db(fields=["locked_at"])
        if member.is_locked:
            # Locked by guesses here or elsewhere: no more guessing in this session.
            logout(request)
            return redirect("accounts:login")
        if password_ok:
            Member.objects.filter(pk=member.pk).update(failed_login_count=0)
            mark_authenticated_now(request)
            return redirect(target)
        services.member_register_failure(member=member, ip=client_ip(request))
        form.add_error("password", _("The password is not correct."))
    return render(request, "accounts/reauth.html", {"form": form})
