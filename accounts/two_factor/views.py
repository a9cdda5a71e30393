"""Pages where a member turns two-step verification on and off."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice
from accounts.two_factor import services as two_factor
from accounts.two_factor.forms import ConfirmCodeForm, DisableTwoFactorForm
from ibsu.lib.client_ip import client_ip

# New backup codes stay viewable (and downloadable) this long after they were made.
FRESH_CODES_KEY = "fresh_backup_codes"
# An email code was sent for the turn-off page: offer email as its source first.
EMAILED_KEY = "two_factor_off_emailed"
FRESH_CODES_SECONDS = 10 * 60


def _show_codes(request, codes: list[str]):
    """New backup codes are shown once; with none new, back to the status page."""
    if not codes:
        return redirect("accounts:two_factor")
    request.session[FRESH_CODES_KEY] = {"codes": codes, "made": time.time()}
    return redirect("accounts:backup_codes")


def _fresh_codes(request) -> list[str]:
    fresh = request.session.get(FRESH_CODES_KEY) or {}
    if time.time() - fresh.get("made", 0) > FRESH_CODES_SECONDS:
        request.session.pop(FRESH_CODES_KEY, None)
        return []
    return fresh.get("codes", [])


@login_required
@never_cache
def status_view(request):
    member = request.user
    backup = BackupCodeDevice.objects.filter(user=member, confirmed=True).first()
    return render(
        request,
        "accounts/two_factor.html",
        {
            "totp": TOTPDevice.objects.filter(user=member, confirmed=True).first(),
            "email_device": EmailDevice.objects.filter(
                user=member, confirmed=True
            ).first(),
            "backup_remaining": backup.remaining if backup else 0,
            "enabled": two_factor.has_two_factor(member),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def totp_setup_view(request):
    member = request.user
    device = two_factor.totp_device_pending(member=member)
    form = ConfirmCodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.device_confirm(
            member=member,
            device=device,
            token=form.cleaned_data["code"],
            ip=client_ip(request),
        )
        if codes is not None:
            messages.success(
                request, _("Your authenticator app is now needed to sign in.")
            )
            return _show_codes(request, codes)
        form.add_error(
            "code",
            _(
                "This code is not correct. Check the time on your phone "
                "and try the newest code."
            ),
        )
    return render(
        request,
        "accounts/two_factor_totp.html",
        {
            "form": form,
            "qr_svg": two_factor.totp_qr_svg(
                device, title=_("QR code for your authenticator app")
            ),
            "secret": two_factor.totp_secret_text(device),
            "account_name": member.kpj_number,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def email_setup_view(request):
    member = request.user
    if not (member.email and member.email_verified):
        messages.error(
            request, _("You need a confirmed email address to receive codes by email.")
        )
        return redirect("accounts:two_factor")
    device = EmailDevice.objects.filter(user=member, confirmed=False).first()
    form = ConfirmCodeForm(request.POST if "code" in request.POST else None)
    if request.method == "POST" and request.POST.get("action") == "send":
        if device is None:
            device = two_factor.email_device_start(member=member)
        elif not two_factor.email_code_send(device=device):
            messages.warning(
                request,
                _("A code was sent a moment ago. Please wait before asking again."),
            )
        return redirect("accounts:two_factor_email")
    if form.is_valid() and device is not None:
        codes = two_factor.device_confirm(
            member=member,
            device=device,
            token=form.cleaned_data["code"],
            ip=client_ip(request),
        )
        if codes is not None:
            messages.success(
                request, _("A code sent to your email is now needed to sign in.")
            )
            return _show_codes(request, codes)
        form.add_error("code", _("This code is not correct or has expired."))
    return render(
        request,
        "accounts/two_factor_email.html",
        {"form": form, "code_sent": device is not None},
    )


@login_required
@never_cache
def backup_codes_view(request):
    codes = _fresh_codes(request)
    if not codes:
        return redirect("accounts:two_factor")
    return render(request, "accounts/backup_codes.html", {"codes": codes})


@login_required
@require_POST
def backup_codes_download_view(request):
    codes = _fresh_codes(request)
    if not codes:
        return redirect("accounts:two_factor")
    body = _("BPJS Ketenagakerjaan backup codes for %(kpj)s. Each works once.") % {
        "kpj": request.user.kpj_number
    }
    response = HttpResponse(
        "\n".join([body, "", *codes, ""]), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="bpjs-backup-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def backup_codes_regenerate_view(request):
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:two_factor")
    codes = two_factor.backup_codes_generate(member=request.user, ip=client_ip(request))
    messages.success(request, _("New backup codes made. The old ones no longer work."))
    return _show_codes(request, codes)


@login_required
@require_POST
def backup_codes_done_view(request):
    request.session.pop(FRESH_CODES_KEY, None)
    return redirect("accounts:two_factor")


@sensitive_post_parameters("password", "code")
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def disable_view(request):
    member = request.user
    if not two_factor.has_two_factor(member):
        return redirect("accounts:two_factor")
    email_device = EmailDevice.objects.filter(user=member, confirmed=True).first()
    method, choose = two_factor.code_sources(
        member, emailed=EMAILED_KEY in request.session
    )
    if request.POST.get("action") == "send_email" and email_device:
        request.session[EMAILED_KEY] = True
        if not two_factor.email_code_send(device=email_device):
            messages.warning(
                request,
                _("A code was sent a moment ago. Please wait before asking again."),
            )
        return redirect("accounts:two_factor_disable")
    form = DisableTwoFactorForm(
        request.POST or None, member=member, initial={"method": method}
    )
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
            request.session.pop(EMAILED_KEY, None)
            two_factor.two_factor_disable(member=member, ip=ip)
            messages.success(request, _("Two-step verification is off."))
            return redirect("accounts:two_factor")
        form.add_error("code", _("This code is not correct or has expired."))
    return render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form, "email_device": email_device, "choose": choose},
    )
