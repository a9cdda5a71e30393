from captcha import views as captcha_views
from django.contrib import admin
from django.urls import include, path

from ibsu import views
from ibsu.lib import converters  # noqa: F401 -- registers <captcha_key:>
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
        name="captcha-refresh",
    ),
    # django-simple-captcha's own routes (captcha/urls.py) take any \w+ as a
    # key, 10 kB included; these take only what it makes (a SHA-1 in hex).
    path(
        "captcha/image/<captcha_key:key>/",
        captcha_views.captcha_image,
        {"scale": 1},
        name="captcha-image",
    ),
    path(
        "captcha/image/<captcha_key:key>@2/",
        captcha_views.captcha_image,
        {"scale": 2},
        name="captcha-image-2x",
    ),
    path(
        "captcha/audio/<captcha_key:key>.wav",
        captcha_views.captcha_audio,
        name="captcha-audio",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
