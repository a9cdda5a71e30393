"""The member's own record: contact details, email address and heirs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.decorators import require_recent_auth
from accounts.models import Heir, Member
from accounts.profile import services as profile
from accounts.profile.forms import EmailChangeForm, HeirFormSet, ProfileForm
from accounts.profile.heirs import heir_preview
from audit.models import AuditEntry
from ibsu.lib.client_ip import client_ip
from ibsu.lib.language import remember_language
from ibsu.lib.masking import mask_nik

RECENT_CHANGE_ACTIONS = (
    "profile.changed",
    "email.change_requested",
    "heirs.changed",
)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_view(request):
    member = request.user
    form = ProfileForm(request.POST or None, instance=member)
    if form.is_valid():
        # The form only validated; the service saves and audits what changed.
        member.refresh_from_db()
        changed = profile.profile_update(
            member=member, data=form.cleaned_data, ip=client_ip(request)
        )
        if changed:
            messages.success(request, _("Your details are saved."))
            return remember_language(
                redirect("accounts:profile"), member.preferred_language
            )
        messages.info(request, _("Nothing was changed."))
        return redirect("accounts:profile")
    entries = AuditEntry.objects.filter(member=member, action__in=RECENT_CHANGE_ACTIONS)
    recent = [_readable(entry) for entry in entries[:20]]
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "masked_nik": mask_nik(member.nik), "recent_changes": recent},
    )


def _readable(entry: AuditEntry) -> AuditEntry:
    """Field labels and choice names for a profile change, as the member reads them."""
    name = entry.data.get("field")
    if name:
        field = Member._meta.get_field(name)
        choices = dict(field.choices or ())
        entry.field_label = field.verbose_name
        entry.old_value = choices.get(entry.data["old"], entry.data["old"])
        entry.new_value = choices.get(entry.data["new"], entry.data["new"])
    return entry


@login_required
@never_cache
@require_recent_auth
@require_http_methods(["GET", "POST"])
def email_change_view(request):
    member = request.user
    form = EmailChangeForm(request.POST or None, member=member)
    if form.is_valid():
        try:
            profile.email_change_request(
                member=member,
                new_email=form.cleaned_data["email"],
                ip=client_ip(request),
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("We sent a link to %(email)s. Your email changes when you open it.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:profile")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
@never_cache
def email_confirm_view(request, token):
    member = request.user
    new_email = profile.email_change_token_read(token=token, member=member)
    if new_email is None:
        return render(request, "accounts/email_confirm_invalid.html", status=400)
    try:
        profile.email_change_confirm(
            member=member, new_email=new_email, ip=client_ip(request)
        )
    except ValidationError:
        return render(request, "accounts/email_confirm_invalid.html", status=400)
    messages.success(
        request, _("Your email address is now %(email)s.") % {"email": new_email}
    )
    return redirect("accounts:profile")


@login_required
@never_cache
def heirs_view(request):
    member = request.user
    heirs = list(member.heirs.all())
    preview = heir_preview(member=member, heirs=heirs, today=timezone.localdate())
    return render(request, "accounts/heirs.html", {"heirs": heirs, "preview": preview})


def _get_heir_for_member(request, pk) -> Heir:
    """The member's own heir, or 404: another member's id reveals nothing."""
    return get_object_or_404(Heir, pk=pk, member=request.user)


@login_required
@never_cache
def heir_detail_view(request, pk):
    heir = _get_heir_for_member(request, pk)
    return render(
        request,
        "accounts/heir_detail.html",
        {"heir": heir, "masked_nik": mask_nik(heir.nik)},
    )


@login_required
@never_cache
@require_recent_auth
@require_http_methods(["GET", "POST"])
def heirs_edit_view(request, pk=None, remove=False):
    """The whole set in one form; a heir's edit and delete URLs open it there."""
    member = request.user
    focus = _get_heir_for_member(request, pk) if pk else None
    formset = HeirFormSet(
        request.POST or None,
        queryset=member.heirs.all(),
        member=member,
        prefix="heirs",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            profile.heirs_replace(
                member=member, keep=formset.kept_rows(), ip=client_ip(request)
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, _("Your heirs are saved."))
            return redirect("accounts:heirs")
    if remove and focus and request.method == "GET":
        for form in formset.forms:
            if form.instance.pk == focus.pk:
                form.initial["DELETE"] = True
    return render(
        request,
        "accounts/heirs_edit.html",
        {"formset": formset, "focus": focus, "remove": remove},
    )
