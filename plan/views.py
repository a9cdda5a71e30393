from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from plan.forms import PlanForm
from plan.services import load_plan_basis, member_plan


@login_required
@never_cache
def plan_view(request):
    """The signed-in member's own projections; the assumptions come from the
    query string, so a plan can be bookmarked and nothing typed is lost."""
    today = timezone.localdate()
    basis = load_plan_basis(member=request.user, today=today)
    form = PlanForm(request.GET or None, defaults=basis.defaults, ages=basis.ages)
    plan = None
    if basis.assumptions is not None:
        plan = member_plan(basis=basis, choices=form.choices())
    context = {"form": form, "plan": plan, "basis": basis, "today": today}
    return render(request, "plan/plan.html", context)
