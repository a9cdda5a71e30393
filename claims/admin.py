from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from claims import services
from claims.models import Claim, ClaimDocument, ClaimEvent
from claims.withdrawals import partial_limit, partial_limit_problem

S = Claim.Status


class DecisionForm(forms.Form):
    """What staff add to a decision: a note for the member, an amount, a reference."""

    note = forms.CharField(
        label=_("Note for the member"), widget=forms.Textarea, required=False
    )
    amount = forms.IntegerField(
        label=_("Approved amount (Rp)"), min_value=0, required=False
    )
    reference = forms.CharField(
        label=_("Payment reference"), max_length=100, required=False
    )
    paid_on = forms.DateField(
        label=_("Paid on"),
        required=False,
        initial=timezone.localdate,
        help_text=_("The day the money was transferred."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on and paid_on > timezone.localdate():
            raise ValidationError(_("The payment date cannot be in the future."))
        return paid_on


# Decision form field -> Claim field it sets.
CLAIM_FIELDS = {
    "amount": "approved_amount",
    "reference": "payment_reference",
    "paid_on": "paid_on",
}


# action name -> (target status, fields the decision needs, label)
DECISIONS = {
    "start_verification": (S.VERIFYING, (), _("Start verification")),
    "request_information": (S.NEEDS_INFO, ("note",), _("Request more information")),
    "approve": (S.APPROVED, ("amount",), _("Approve")),
    "reject": (S.REJECTED, ("note",), _("Reject")),
    "mark_paid": (S.PAID, ("reference",), _("Mark paid")),
}
# Fields an action shows besides those it needs: the payment date is today
# unless staff change it.
OPTIONAL = {"mark_paid": ("paid_on",)}


def _decide(modeladmin, request, queryset, action: str):
    if not request.user.has_perm("claims.decide_claim"):
        raise PermissionDenied
    to, needed, label = DECISIONS[action]
    form = DecisionForm(request.POST if "apply" in request.POST else None)
    if form.is_valid() and any(
        form.cleaned_data.get(name) in (None, "") for name in needed
    ):
        labels = ", ".join(str(form.fields[name].label) for name in needed)
        form.add_error(None, _("Fill in: %(fields)s") % {"fields": labels})
    if form.is_valid() and to == S.APPROVED:
        # A partial JHT claim above its share of the balance: said on the
        # form, beside the amount, before anything moves.
        for claim in queryset:
            problem = partial_limit_problem(claim, form.cleaned_data["amount"])
            if problem:
                form.add_error("amount", f"{claim.number}: {problem}")
    if not form.is_valid():
        return render(
            request,
            "admin/claims/decision.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": label,
                "claims": queryset,
                "limits": [(claim, partial_limit(claim)) for claim in queryset]
                if to == S.APPROVED
                else [],
                "form": form,
                "action": action,
                "shown": (*needed, *OPTIONAL.get(action, ())),
                "opts": modeladmin.model._meta,
            },
        )
    extra = {
        CLAIM_FIELDS[name]: form.cleaned_data[name]
        for name in (*needed, *OPTIONAL.get(action, ()))
        if name in CLAIM_FIELDS
    }
    done = 0
    for claim in queryset:
        try:
            services.claim_transition(
                claim_id=claim.pk,
                to=to,
                actor=request.user,
                note=form.cleaned_data["note"],
                **extra,
            )
            done += 1
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{claim.number}: {error.messages[0]}", messages.ERROR
            )
    if done:
        modeladmin.message_user(
            request,
            ngettext(
                "%(label)s: %(count)d claim.", "%(label)s: %(count)d claims.", done
            )
            % {"label": label, "count": done},
            messages.SUCCESS,
        )
    return None


def _make_action(name: str):
    def action(modeladmin, request, queryset):
        return _decide(modeladmin, request, queryset, name)

    action.__name__ = name
    return admin.action(description=DECISIONS[name][2], permissions=["decide"])(action)


class ClaimDocumentInline(admin.TabularInline):
    model = ClaimDocument
    extra = 0
    can_delete = False
    fields = ["kind", "original_name", "content_type", "size", "sha256", "download"]
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, document):
        url = reverse("claims:document", args=[document.claim_id, document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open"))

    def has_add_permission(self, request, obj=None):
        return False


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["number", "member", "programme", "reason", "status", "submitted_at"]
    list_filter = ["status", "programme", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["member"]
    search_fields = ["=member__kpj_number", "=member__nik"]
    search_help_text = _("Member number (KPJ), NIK, or claim number (KLM-2026-000123).")
    inlines = [ClaimDocumentInline, ClaimEventInline]
    actions = [_make_action(name) for name in DECISIONS]
    # Staff decide through the actions, which keep the workflow's rules and history.
    readonly_fields = [field.name for field in Claim._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_decide_permission(self, request):
        return request.user.has_perm("claims.decide_claim")

    def get_search_results(self, request, queryset, search_term):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        parts = search_term.strip().upper().split("-")
        if (
            len(parts) == 3
            and parts[0] == "KLM"
            and parts[1].isdigit()
            and parts[2].isdigit()
        ):
            results |= queryset.filter(pk=int(parts[2]), created_at__year=int(parts[1]))
        return results, duplicates
