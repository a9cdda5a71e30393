from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp.admin import OTPAdminSite


class PortalAdminSite(OTPAdminSite):
    """Staff admin: staff status plus a session verified by a second factor.

    It has no password form of its own. Staff sign in through the portal login
    (CAPTCHA, lockout, throttling, second step); a staff member without a
    second factor is sent to set one up.
    """

    site_header = "BPJS Ketenagakerjaan · IBSU"
    site_title = "IBSU admin"

    def __init__(self, name="admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and not user.is_staff:
            raise PermissionDenied
        if user.is_authenticated and not user.is_verified():
            messages.warning(
                request,
                _("Staff need two-step verification to use the admin. Set it up here."),
            )
            return redirect("accounts:two_factor")
        target = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")
