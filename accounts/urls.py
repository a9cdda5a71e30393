from django.contrib.auth import views as auth_views
from django.http import HttpResponsePermanentRedirect
from django.urls import path, re_path
from django.views.generic import TemplateView

from accounts.passwords import views as password_views
from accounts.profile import views as profile_views
from accounts.signin import views
from accounts.two_factor import views as two_factor_views
from ibsu.lib import converters  # noqa: F401 -- registers <signed:>, <uidb64:> …

app_name = "accounts"


def _to_heirs(request, rest):
    # A GET only: a form posted to an old address is not replayed.
    return HttpResponsePermanentRedirect(f"/accounts/heirs/{rest}")


urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify_view, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("activity/", views.activity_view, name="activity"),
    path("reauth/", views.reauth_view, name="reauth"),
    # Profile and heirs
    path("profile/", profile_views.profile_view, name="profile"),
    path("profile/email/", profile_views.email_change_view, name="email_change"),
    path(
        "profile/email/confirm/<signed:token>/",
        profile_views.email_confirm_view,
        name="email_confirm",
    ),
    path("heirs/", profile_views.heirs_view, name="heirs"),
    path("heirs/edit/", profile_views.heirs_edit_view, name="heirs_edit"),
    path("heirs/<int:pk>/", profile_views.heir_detail_view, name="heir_detail"),
    path("heirs/<int:pk>/edit/", profile_views.heirs_edit_view, name="heir_edit"),
    path(
        "heirs/<int:pk>/delete/",
        profile_views.heirs_edit_view,
        {"remove": True},
        name="heir_delete",
    ),
    # The heirs pages were at /accounts/nominees/ before "heir" became the one
    # word for them: bookmarks still arrive.
    re_path(
        r"^nominees/(?P<rest>(?:[0-9]+/)?(?:edit/|delete/)?)$",
        _to_heirs,
        name="heirs_old_address",
    ),
    # Two-step verification
    path("two-factor/", two_factor_views.status_view, name="two_factor"),
    path(
        "two-factor/authenticator/",
        two_factor_views.totp_setup_view,
        name="two_factor_totp",
    ),
    path(
        "two-factor/email/", two_factor_views.email_setup_view, name="two_factor_email"
    ),
    path(
        "two-factor/backup-codes/",
        two_factor_views.backup_codes_view,
        name="backup_codes",
    ),
    path(
        "two-factor/backup-codes/download/",
        two_factor_views.backup_codes_download_view,
        name="backup_codes_download",
    ),
    path(
        "two-factor/backup-codes/new/",
        two_factor_views.backup_codes_regenerate_view,
        name="backup_codes_regenerate",
    ),
    path(
        "two-factor/backup-codes/done/",
        two_factor_views.backup_codes_done_view,
        name="backup_codes_done",
    ),
    path(
        "two-factor/disable/", two_factor_views.disable_view, name="two_factor_disable"
    ),
    # Passwords
    path(
        "password/reset/",
        password_views.password_reset_request_view,
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.TemplateView.as_view(
            template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64:uidb64>/<reset_token:token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.TemplateView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        password_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.TemplateView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    # First-time activation
    path("activate/", password_views.activation_request_view, name="activate"),
    path(
        "activate/sent/",
        TemplateView.as_view(template_name="accounts/activate_sent.html"),
        name="activate_sent",
    ),
    path(
        "activate/<signed:token>/",
        password_views.activation_confirm_view,
        name="activate_confirm",
    ),
]
