from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list_view, name="list"),
    path("new/", views.claim_new_view, name="new"),
    path("<int:pk>/", views.claim_detail_view, name="detail"),
    path("<int:pk>/edit/", views.claim_edit_view, name="edit"),
    path("<int:pk>/upload/", views.claim_upload_view, name="upload"),
    path("<int:pk>/submit/", views.claim_submit_view, name="submit"),
    path("<int:pk>/cancel/", views.claim_cancel_view, name="cancel"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.document_download_view,
        name="document",
    ),
]
