from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import LoginEvent, Member
from accounts.signin.services import member_unlock
from ibsu.lib.masking import mask_nik


class MemberCreationForm(BaseUserCreationForm):
    class Meta:
        model = Member
        fields = ["kpj_number", "nik", "full_name", "date_of_birth", "email"]


class MemberChangeForm(UserChangeForm):
    class Meta:
        model = Member
        fields = "__all__"


class LockedFilter(admin.SimpleListFilter):
    title = _("locked")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Locked")), ("no", _("Not locked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(locked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(locked_at__isnull=True)
        return queryset


class TwoFactorFilter(admin.SimpleListFilter):
    title = _("two-step verification on")
    parameter_name = "two_factor"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(second_factor=self.value() == "yes")
        return queryset


def _second_factor() -> Q:
    """Whether the member has a confirmed authenticator or email codes."""
    confirmed = {"user": OuterRef("pk"), "confirmed": True}
    return Q(Exists(TOTPDevice.objects.filter(**confirmed))) | Q(
        Exists(EmailDevice.objects.filter(**confirmed))
    )


@admin.register(Member)
class MemberAdmin(UserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    list_display = [
        "kpj_number",
        "full_name",
        "masked_nik",
        "email",
        "is_locked",
        "two_factor_on",
        "is_staff",
    ]
    list_filter = [
        LockedFilter,
        TwoFactorFilter,
        "is_staff",
        "is_active",
        "preferred_language",
    ]
    # Exact matches for identifiers: fast on unique indexes, no partial NIK probing.
    search_fields = ["=kpj_number", "=nik", "full_name", "email"]
    ordering = ["kpj_number"]
    readonly_fields = [
        "failed_login_count",
        "locked_at",
        "two_factor_on",
        "last_login",
        "date_joined",
    ]
    actions = ["unlock_selected"]
    fieldsets = [
        (None, {"fields": ["kpj_number", "password"]}),
        (
            _("Identity"),
            {"fields": ["full_name", "nik", "date_of_birth"]},
        ),
        (
            _("Contact"),
            {"fields": ["email", "email_verified", "phone", "preferred_language"]},
        ),
        (
            _("Security"),
            {
                "fields": [
                    "failed_login_count",
                    "locked_at",
                    "two_factor_on",
                    "last_login",
                    "date_joined",
                ]
            },
        ),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "kpj_number",
                    "nik",
                    "full_name",
                    "date_of_birth",
                    "email",
                    "password1",
                    "password2",
                ],
            },
        )
    ]

    @admin.display(description=_("NIK"))
    def masked_nik(self, member):
        return mask_nik(member.nik)

    @admin.display(description=_("locked"), boolean=True)
    def is_locked(self, member):
        return member.is_locked

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(second_factor=_second_factor())

    @admin.display(description=_("two-step verification on"), boolean=True)
    def two_factor_on(self, member):
        return member.second_factor

    @admin.action(description=_("Unlock selected accounts"), permissions=["change"])
    def unlock_selected(self, request, queryset):
        unlocked = sum(
            member_unlock(member=member, actor=request.user, via="admin")
            for member in queryset.filter(locked_at__isnull=False)
        )
        self.message_user(
            request,
            ngettext("%d account unlocked.", "%d accounts unlocked.", unlocked)
            % unlocked,
            messages.SUCCESS,
        )


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "outcome", "identifier", "member", "ip"]
    list_filter = ["outcome"]
    list_select_related = ["member"]
    search_fields = ["=member__kpj_number", "=identifier", "=ip"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "outcome",
        "identifier",
        "member",
        "ip",
        "user_agent",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
