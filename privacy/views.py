from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.decorators import require_recent_auth
from ibsu.lib.client_ip import client_ip
from privacy.models import DataExport
from privacy.services import data_export_open, data_export_request


def _get_export_for_member(request, pk) -> DataExport:
    """The member's own export, or 404: another member's id reveals nothing."""
    return get_object_or_404(
        DataExport.objects.select_related("member"), pk=pk, member=request.user
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def export_view(request):
    if request.method == "POST":
        _export, created = data_export_request(
            member=request.user, language=get_language(), ip=client_ip(request)
        )
        if created:
            messages.success(
                request,
                _("We are preparing your data. This page updates by itself."),
            )
        else:
            messages.info(request, _("Your data is already being prepared."))
        return redirect("privacy:export")
    exports = list(DataExport.objects.filter(member=request.user)[:5])
    context = {
        "exports": exports,
        "pending": any(export.is_pending for export in exports),
        "retention_hours": settings.DATA_EXPORT_RETENTION_HOURS,
    }
    return render(request, "privacy/export.html", context)


@login_required
@require_recent_auth
def export_download_view(request, pk):
    """The ZIP, to its owner only, and only until it expires (then 410 Gone)."""
    export = _get_export_for_member(request, pk)
    if export.status != DataExport.Status.READY:
        raise Http404
    try:
        handle = data_export_open(export=export, ip=client_ip(request))
    except FileNotFoundError:
        context = {"retention_hours": settings.DATA_EXPORT_RETENTION_HOURS}
        return render(request, "privacy/export_gone.html", context, status=410)
    day = timezone.localdate(export.ready_at)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"bpjstk-my-data-{day:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    return response  # no-store: SecurityHeadersMiddleware, as for every member page
