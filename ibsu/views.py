from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts.models import LoginEvent
from accounts.two_factor.services import has_two_factor
from contributions.figures import member_balance
from ibsu.celery import app as celery_app


@login_required
def dashboard(request):
    previous_login = (
        LoginEvent.objects.filter(
            member=request.user, outcome=LoginEvent.Outcome.SUCCESS
        )
        .order_by("-created_at")[1:2]
        .first()
    )
    return render(
        request,
        "dashboard.html",
        {
            "previous_login": previous_login,
            "two_factor_on": has_two_factor(request.user),
            "balance": member_balance(member=request.user, today=timezone.localdate()),
        },
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_status() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return "ok"
    except Exception:
        return "unreachable"


def server_error(request):
    """The 500 page, rendered with the request so it can show the request id."""
    return render(request, "500.html", status=500)


@never_cache
def healthz(request):
    """Liveness for load balancers: 200 when the database and broker answer."""
    database = "ok" if _database_ok() else "unreachable"
    broker = _broker_status()
    healthy = database == "ok" and broker != "unreachable"
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "broker": broker,
        },
        status=200 if healthy else 503,
    )
