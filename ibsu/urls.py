from django.contrib import admin
from django.urls import include, path

from ibsu import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/", include("accounts.urls")),
    path("contributions/", include("contributions.urls")),
    path("claims/", include("claims.urls")),
    path("", include("documents.urls")),
    path("captcha/", include("captcha.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
