from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import require_recent_auth
from claims import services
from claims.eligibility import (
    JP_MONTHLY_PENSION_MONTHS,
    REASONS,
    earlier_partial_paid,
    ineligibility,
    jp_months_missing,
    member_facts,
    monthly_pension,
    pension_age,
)
from claims.forms import ClaimDetailsForm, ClaimStartForm, DocumentUploadForm
from claims.history import claim_history
from claims.models import Claim, ClaimDocument
from claims.possible_from import possible_from
from contributions.figures import member_balance
from contributions.models import Programme
from plan.services import claim_amounts_for_member


def _get_claim_for_member(request, pk) -> Claim:
    """The member's own claim, or 404: another member's id reveals nothing.

    Through the member's claims, claim.member is request.user, not a second read.
    """
    return get_object_or_404(request.user.claims, pk=pk)


@login_required
@never_cache
def claim_list_view(request):
    claims = (
        Claim.objects.filter(member=request.user)
        .order_by("-created_at")
        # What the list shows: the rest (details, bank account) stays unread.
        .only("programme", "reason", "status", "created_at")
    )
    return render(request, "claims/list.html", {"claims": claims})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def claim_new_view(request):
    member = request.user
    today = timezone.localdate()
    form = ClaimStartForm(request.POST or None)
    if form.is_valid():
        try:
            claim = services.claim_start(
                member=member,
                programme=form.cleaned_data["programme"],
                reason=form.cleaned_data["reason"],
                today=today,
                details=form.claim_details(),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return redirect("claims:detail", pk=claim.pk)
    elif form.is_bound:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    facts = member_facts(member=member, today=today)
    options = [
        (
            Programme(programme),
            [
                (
                    Claim.Reason(reason),
                    ineligibility(programme, reason, facts),
                    possible_from(programme, reason, facts),
                )
                for reason in reasons
            ],
        )
        for programme, reasons in REASONS.items()
    ]
    return render(
        request,
        "claims/new.html",
        {
            "options": options,
            "heirs": member.heirs.all(),
            "pension_age": pension_age(today.year),
            "monthly_pension": monthly_pension(facts),
            "jp_months": facts.jp_months,
            "jp_months_needed": JP_MONTHLY_PENSION_MONTHS,
            "jp_months_missing": jp_months_missing(facts),
            "dismissal_field": form["dismissal_date"],
            "amounts": claim_amounts_for_member(member=member, today=today),
        },
    )


@login_required
@never_cache
def claim_detail_view(request, pk, upload_form=None):
    claim = _get_claim_for_member(request, pk)
    history = claim_history(claim)
    context = {
        "claim": claim,
        "history": history,
        "missing": services.claim_missing(
            claim=claim,
            # Only JHT claims depend on the balance (NPWP above a threshold).
            jht_balance=member_balance(
                member=request.user, today=timezone.localdate()
            ).amount
            if claim.programme == Programme.JHT
            else 0,
            partial_paid=claim.programme == "JHT"
            and earlier_partial_paid(member=request.user, excluding=claim.pk),
            uploaded_kinds=history.uploaded_kinds,
        )
        if claim.is_editable
        else [],
        "upload_form": upload_form or DocumentUploadForm(),
    }
    return render(
        request, "claims/detail.html", context, status=400 if upload_form else 200
    )


@login_required
@never_cache
@require_recent_auth
@require_http_methods(["GET", "POST"])
def claim_edit_view(request, pk):
    """Details and bank account; a bank change needs a recent sign-in."""
    claim = _get_claim_for_member(request, pk)
    if not claim.is_editable:
        return redirect("claims:detail", pk=claim.pk)
    form = ClaimDetailsForm(request.POST or None, claim=claim)
    if form.is_valid():
        services.claim_update(claim=claim, data=form.claim_data())
        messages.success(request, _("Your claim details are saved."))
        return redirect("claims:detail", pk=claim.pk)
    return render(request, "claims/edit.html", {"claim": claim, "form": form})


@login_required
@require_POST
def claim_upload_view(request, pk):
    claim = _get_claim_for_member(request, pk)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.claim_document_add(
                claim=claim,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("claims:detail", pk=claim.pk)
    return claim_detail_view(request, pk, upload_form=form)


@login_required
@require_POST
def claim_submit_view(request, pk):
    claim = _get_claim_for_member(request, pk)
    try:
        services.claim_submit(
            claim=claim, actor=request.user, today=timezone.localdate()
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Your claim is submitted. We will email you at each step.")
        )
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def claim_cancel_view(request, pk):
    claim = _get_claim_for_member(request, pk)
    try:
        services.claim_cancel(claim=claim, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your claim is cancelled."))
    return redirect("claims:detail", pk=claim.pk)


@login_required
def document_download_view(request, pk, document_pk):
    """A claim document, for its owner or for staff who may decide claims."""
    document = get_object_or_404(
        ClaimDocument.objects.select_related("claim"), pk=document_pk, claim_id=pk
    )
    # Staff read members' documents only with a verified second factor, as in admin.
    staff = (
        request.user.is_staff
        and request.user.is_verified()
        and request.user.has_perm("claims.view_claimdocument")
    )
    if document.claim.member_id != request.user.pk and not staff:
        raise Http404
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[
        document.content_type
    ]
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.claim.number}-{document.kind}.{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
