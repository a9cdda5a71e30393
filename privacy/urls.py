from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("export/", views.export_view, name="export"),
    path("export/<int:pk>/download/", views.export_download_view, name="download"),
]
