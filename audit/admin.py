from django.contrib import admin

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "member", "actor", "ip"]
    list_filter = ["action"]
    list_select_related = ["member", "actor"]
    search_fields = ["=member__kpj_number", "action"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "action", "member", "actor", "data", "ip"]

    # The trail is append-only: nobody edits or deletes history in admin.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
