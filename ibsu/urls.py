from captcha import views as captcha_views
from django.contrib import admin
from django.urls import include, path

from ibsu import views
from ibsu.lib.ratelimit import ratelimit_by_ip

handler500 = "ibsu.views.server_error"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("contributions/", include("contributions.urls")),
    path("claims/", include("claims.urls")),
    path("", include("documents.urls")),
    path("privacy/", include("privacy.urls")),
    path("plan/", include("plan.urls")),
    # The CAPTCHA refresh is rate-limited like the forms that use it.
    path(
        "captcha/refresh/",
        ratelimit_by_ip(
            scope="captcha_refresh",
            limit_setting="CAPTCHA_REFRESH_LIMIT",
            window_setting="CAPTCHA_REFRESH_WINDOW_SECONDS",
            methods=("GET",),
        )(captcha_views.captcha_refresh),
    ),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
