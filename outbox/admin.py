from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue


class SentFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("no", _("Not sent yet")), ("yes", _("Sent"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "template", "to", "attempts", "sent_at", "last_error"]
    list_filter = [SentFilter, "template"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    # Bodies may hold reset links or sign-in codes: staff see them only for
    # messages that carry no secret.
    readonly_fields = [
        f.name
        for f in OutboxMessage._meta.fields
        if f.name not in {"body_text", "body_html"}
    ] + ["body"]
    exclude = ["body_text", "body_html"]

    @admin.display(description=_("text body"))
    def body(self, message):
        if message.carries_secret:
            return _(
                "Hidden: this message carries a link or code for the member alone."
            )
        return message.body_text

    actions = ["send_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Queue selected unsent messages again"))
    def send_now(self, request, queryset):
        ids = queryset.filter(sent_at__isnull=True).values_list("pk", flat=True)
        queued = sum(outbox_enqueue(message_id=pk) for pk in ids)
        self.message_user(
            request,
            ngettext("%d message queued.", "%d messages queued.", queued) % queued,
            messages.SUCCESS,
        )
