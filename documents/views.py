from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from claims.models import Claim
from documents.forms import DocumentRequestForm
from documents.listing import member_documents
from documents.models import GeneratedDocument
from documents.services import document_request
from ibsu.lib.masking import mask_name
from ibsu.lib.ratelimit import ratelimit_by_ip


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def document_list_view(request):
    member = request.user
    claims = (
        Claim.objects.filter(member=member)
        .exclude(status=Claim.Status.DRAFT)
        .only("created_at")  # the claim number is made of its id and year
    )
    form = DocumentRequestForm(request.POST or None, claims=claims)
    if form.is_valid():
        document = document_request(
            member=member,
            kind=form.cleaned_data["kind"],
            params=form.cleaned_data["params"],
            language=get_language(),
        )
        if document.status == GeneratedDocument.Status.READY:
            messages.info(
                request, _("Nothing changed since this document was made: here it is.")
            )
        else:
            messages.success(
                request, _("Your document is being made. This page updates by itself.")
            )
        return redirect("documents:list")
    return render(
        request,
        "documents/list.html",
        {"form": form, "documents": member_documents(member)},
    )


@login_required
def document_download_view(request, pk):
    document = get_object_or_404(
        GeneratedDocument,
        pk=pk,
        member=request.user,
        status=GeneratedDocument.Status.READY,
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@ratelimit_by_ip(
    scope="verify",
    limit_setting="VERIFY_LIMIT",
    window_setting="VERIFY_WINDOW_SECONDS",
    methods=("GET",),
)
def verify_view(request, code):
    """Public: is this a genuine document? Shows only what proves it, masked."""
    document = (
        GeneratedDocument.objects.filter(
            code=code.replace("-", "").upper(), status="ready"
        )
        .select_related("member")
        .first()
    )
    context = {
        "document": document,
        "masked_name": mask_name(document.member.full_name) if document else "",
    }
    return render(
        request, "documents/verify.html", context, status=200 if document else 404
    )
