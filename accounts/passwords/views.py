"""Password reset by email, password change, and first-time activation."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.passwords import services as passwords
from accounts.passwords.forms import ActivationForm, PasswordResetRequestForm
from ibsu.lib.client_ip import client_ip
from ibsu.lib.ratelimit import ratelimit_by_ip

_RATE = {
    "limit_setting": "ACCOUNT_REQUEST_LIMIT",
    "window_setting": "ACCOUNT_REQUEST_WINDOW_SECONDS",
}


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit_by_ip(scope="password_reset", **_RATE)
def password_reset_request_view(request):
    form = PasswordResetRequestForm(request.POST or None)
    if form.is_valid():
        passwords.password_reset_request(
            email=form.cleaned_data["email"], ip=client_ip(request)
        )
        return redirect("accounts:password_reset_done")
    return render(request, "accounts/password_reset_request.html", {"form": form})


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    @transaction.atomic
    def form_valid(self, form):
        # One transaction: a new password never stays behind a lock it should lift.
        response = super().form_valid(form)
        passwords.member_password_reset_complete(
            member=form.user, ip=client_ip(self.request)
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session, ends the others
        passwords.member_password_changed(member=form.user, ip=client_ip(self.request))
        return response


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit_by_ip(scope="activation", **_RATE)
def activation_request_view(request):
    form = ActivationForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        passwords.activation_request(
            kpj_number=data["kpj_number"],
            nik=data["nik"],
            date_of_birth=data["date_of_birth"],
            email=data["email"],
            ip=client_ip(request),
        )
        return redirect("accounts:activate_sent")
    return render(request, "accounts/activate.html", {"form": form})


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def activation_confirm_view(request, token):
    found = passwords.activation_token_read(token)
    if found is None:
        return render(request, "accounts/activate_invalid.html", status=400)
    member, email = found
    # Validators see the email the member is about to own, not the empty one on file.
    member.email = email
    form = SetPasswordForm(member, request.POST or None)
    if form.is_valid():
        passwords.member_activate(
            member=member,
            email=email,
            password=form.cleaned_data["new_password1"],
            ip=client_ip(request),
        )
        messages.success(
            request, _("Your account is active. Sign in with your new password.")
        )
        return redirect("accounts:login")
    return render(
        request, "accounts/activate_set_password.html", {"form": form, "email": email}
    )
