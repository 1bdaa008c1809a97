from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from fullrecord.calendars.services import WorkCalendar
from fullrecord.cases.access import can_open_case, visible_cases
from fullrecord.cases.choices import STAGE_OF_STATE, Stage
from fullrecord.cases.deadlines import due_soon_cutoff, met_late, open_limits, status_of

from . import todo


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each officer and section head sees their due-soon and overdue cases first."""
    user = request.user
    today = timezone.localdate()
    cases = visible_cases(user)
    # An officer's own cases; a head's section; wider roles see their whole reach.
    mine = cases
    soon_days = settings.FULLRECORD_DUE_SOON_WORKING_DAYS
    cutoff = due_soon_cutoff(today, soon_days)
    calendar = WorkCalendar()
    pressing = [
        (d, status_of(d, today, calendar, soon_days))
        for d in open_limits()
        .filter(case__in=mine, due_on__lte=cutoff)
        .select_related("case", "case__cause", "rule")
        .order_by("due_on")[:50]
    ]
    by_state = dict(cases.values_list("state").annotate(n=Count("id")))
    by_stage: dict[str, int] = {}
    for state, count in by_state.items():
        stage = STAGE_OF_STATE[state]
        by_stage[stage] = by_stage.get(stage, 0) + count
    biggest = max(by_stage.values(), default=0) or 1
    chart = [
        {
            "code": s,
            "label": Stage(s).label,
            "count": by_stage.get(s, 0),
            "percent": round(100 * by_stage.get(s, 0) / biggest),
        }
        for s in Stage.values
    ]
    return render(
        request,
        "core/dashboard.html",
        {
            "overdue": [p for p in pressing if p[1].code == "overdue"],
            "due_soon": [p for p in pressing if p[1].code == "due_soon"],
            "chart": chart,
            "total": sum(by_stage.values()),
            "recent": cases.select_related("cause").order_by("-updated_at")[:8],
            "todo": todo.items_for(user),
            "met_late": met_late().filter(case__in=cases).count(),
            "can_open": can_open_case(user),
        },
    )


@login_required
@vary_on_headers("HX-Request")
@require_safe
def todo_list(request: HttpRequest) -> HttpResponse:
    """待办: everything that waits for this user, each leading to the page of the work.

    The page refreshes its list by itself (htmx every minute): a move by someone else
    can put a case in this queue while it is open."""
    items = todo.items_for(request.user)
    template = "core/_todo.html" if request.htmx else "core/todo.html"
    return render(request, template, {"todo": items})
