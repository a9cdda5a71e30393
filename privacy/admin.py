from django.contrib import admin

from privacy.models import DataExport


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "member", "status", "ready_at", "expires_at", "size"]
    list_filter = ["status"]
    list_select_related = ["member"]
    search_fields = ["=member__kpj_number"]
    date_hierarchy = "created_at"
    # No file: the copy is for the member alone, so staff see only its history.
    fields = readonly_fields = [
        "member",
        "language",
        "status",
        "step",
        "size",
        "sha256",
        "created_at",
        "started_at",
        "ready_at",
        "expires_at",
        "error",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # `manage.py cleanup` deletes rows together with their files.
    def has_delete_permission(self, request, obj=None):
        return False
