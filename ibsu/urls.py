from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from ibsu import views

# Django admin has no password form of its own: staff sign in through the portal
# login, with its CAPTCHA, lockout and throttling.
admin.site.login = RedirectView.as_view(
    pattern_name="accounts:login", query_string=True
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
