from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.document_list_view, name="list"),
    path("documents/<int:pk>/download/", views.document_download_view, name="download"),
    path("verify/<str:code>/", views.verify_view, name="verify"),
]
