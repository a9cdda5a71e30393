from django.urls import path

from documents import views
from ibsu.lib import converters  # noqa: F401 -- registers <code:>

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list_view, name="list"),
    path("documents/<int:pk>/download/", views.document_download_view, name="download"),
    path("verify/<code:code>/", views.verify_view, name="verify"),
]
