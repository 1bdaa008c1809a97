"""Case pages. Thin: parse the request, call a service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from fullrecord.calendars.services import WorkCalendar

from . import changes, completeness, services, timeline
from .access import can, can_open_case, get_case, visible_cases
from .choices import ChangeState
from .deadlines import status_of
from .filtersets import CaseFilterSet
from .forms import (
    AssignForm,
    CaseForm,
    ChangeDecisionForm,
    PartyChangeForm,
    PartyForm,
    PartyFormSet,
    TransitionForm,
)
from .models import CaseChange, Party


@login_required
@vary_on_headers("HX-Request")
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        visible_cases(request.user).select_related("cause", "org_unit").prefetch_related("parties")
    )
    filterset = CaseFilterSet(request.GET or None, queryset=queryset)
    cases = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    page = Paginator(cases.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # htmx swaps only the rows; a history restore wants the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "cases/_case_rows.html" if partial else "cases/case_list.html"
    return render(
        request,
        template,
        {
            "filter": filterset if filterset.is_bound else CaseFilterSet(queryset=queryset),
            "page": page,
            "query": query.urlencode(),
            "can_open": can_open_case(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    if not can_open_case(request.user):
        raise Http404
    form = CaseForm(request.POST or None, user=request.user)
    parties = PartyFormSet(request.POST or None, prefix="parties")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        party_data = [
            {k: v for k, v in f.cleaned_data.items() if k not in ("id", "case", "DELETE")}
            for f in parties.forms
            if f.has_changed() and f.cleaned_data
        ]
        try:
            case = services.create_case(
                actor=request.user,
                parties=party_data,
                officers=list(form.cleaned_data.get("officers") or []),
                **{k: v for k, v in form.cleaned_data.items() if k != "officers"},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "parties": parties})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "edit")
    form = CaseForm(request.POST or None, instance=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        # The form has already written its values onto the instance; re-read the
        # stored case so the service sees the change as a change.
        stored = get_case(request.user, pk, "edit")
        values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            change = changes.change_case(
                stored, actor=request.user, changes=values, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _say_what_became_of(request, change)
            return redirect(stored)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


def _say_what_became_of(request: HttpRequest, change) -> None:
    if change is None:
        messages.info(request, _("Nothing was changed."))
    elif change.state == ChangeState.PENDING:
        messages.success(request, _("The change is waiting for the section head's approval."))
    else:
        messages.success(request, _("Case updated."))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def party_edit(request: HttpRequest, pk: int, party_id: int) -> HttpResponse:
    case = get_case(request.user, pk, "edit")
    party = Party.objects.filter(case=case, pk=party_id).first()
    if party is None:
        raise Http404
    form = PartyChangeForm(request.POST or None, instance=party)
    if request.method == "POST" and form.is_valid():
        stored = Party.objects.get(pk=party.pk)
        values = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            change = changes.change_party(
                stored, actor=request.user, changes=values, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _say_what_became_of(request, change)
            return redirect(case)
    return render(request, "cases/party_form.html", {"form": form, "case": case, "party": party})


@login_required
@require_POST
def change_decide(request: HttpRequest, pk: int, change_id: int) -> HttpResponse:
    case = get_case(request.user, pk)
    change = CaseChange.objects.filter(case=case, pk=change_id).first()
    if change is None or not changes.may_approve(request.user, case):
        raise Http404
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect(case)
    try:
        changes.decide_change(
            change,
            actor=request.user,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The change is approved and in effect.")
            if form.cleaned_data["approve"]
            else _("The change is rejected."),
        )
    return redirect(case.get_absolute_url() + "#changes")


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk)
    services.record_view(case, actor=request.user)
    return _render_detail(request, case)


def _render_detail(
    request: HttpRequest, case, *, party_form=None, status: int = 200
) -> HttpResponse:
    calendar = WorkCalendar()
    today = timezone.localdate()
    deadlines = [
        (d, status_of(d, today, calendar, settings.FULLRECORD_DUE_SOON_WORKING_DAYS))
        for d in case.deadlines.select_related("rule").order_by("due_on")
    ]
    may_edit = can(request.user, "edit", case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "timeline": timeline.build(case),
            "deadlines": deadlines,
            "options": services.available_transitions(case, request.user, today),
            "transition_form": TransitionForm(),
            # What was typed into a move that was refused, to be shown again (issue 14).
            "typed_move": request.session.pop(f"typed-move-{case.pk}", None),
            "can_edit": may_edit,
            "can_assign": can(request.user, "assign", case),
            "assign_form": AssignForm(case=case, user=request.user)
            if can(request.user, "assign", case)
            else None,
            "party_form": party_form or (PartyForm() if may_edit else None),
            "party_form_open": party_form is not None,
            "assignments": case.assignments.select_related("officer"),
            "stages": _stage_progress(case),
            "evidence": _evidence(case, request.user),
            "changes": case.changes.select_related("requested_by", "decided_by").order_by(
                "-requested_at", "-id"
            ),
            "may_approve": changes.may_approve(request.user, case),
            "decision_form": ChangeDecisionForm(),
            "next_actors": services.next_actors(case, request.user),
        },
        status=status,
    )


def _evidence(case, user) -> dict:
    """The case's audiovisual records the user may see, for the gallery on the case page."""
    from fullrecord.media.access import can_upload, visible_media

    links = (
        case.media_links.filter(item__in=visible_media(user))
        .select_related("item", "item__officer")
        .prefetch_related("item__derivatives")
        .order_by("item__used_at")
    )
    return {"links": list(links), "can_upload": can_upload(user) and can(user, "edit", case)}


def _stage_progress(case) -> list[dict]:
    from .choices import STAGE_OF_STATE, Stage

    current = STAGE_OF_STATE[case.state]
    reached = {STAGE_OF_STATE[s] for s in case.transitions.values_list("to_state", flat=True)}
    reached.add(Stage.DISCOVERY)
    order = [s for s in Stage.values if s != Stage.EXIT]
    return [
        {
            "code": s,
            "label": Stage(s).label,
            "status": "current" if s == current else ("done" if s in reached else "todo"),
        }
        for s in order
    ]


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    case = get_case(request.user, pk)
    form = TransitionForm(request.POST)
    typed = {
        "name": name,
        "reason": request.POST.get("reason", "")[:2000],
        "hearing_date": request.POST.get("hearing_date", "")[:20],
    }
    if not form.is_valid():
        messages.error(request, _("Please correct the form: %(errors)s") % {"errors": form.errors})
        request.session[f"typed-move-{case.pk}"] = typed
        return redirect(case)
    data = {}
    if form.cleaned_data.get("hearing_date"):
        data["hearing_date"] = form.cleaned_data["hearing_date"]
    try:
        services.do_transition(
            case, name, actor=request.user, reason=form.cleaned_data["reason"], data=data
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        request.session[f"typed-move-{case.pk}"] = typed
    else:
        messages.success(
            request, _("Case is now at “%(state)s”.") % {"state": case.get_state_display()}
        )
    return redirect(case)


@login_required
@require_POST
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "assign")
    form = AssignForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        try:
            services.assign_officer(
                case,
                form.cleaned_data["officer"],
                actor=request.user,
                lead=form.cleaned_data["lead"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose an officer."))
    return redirect(case)


@login_required
@require_POST
def case_unassign(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    case = get_case(request.user, pk, "assign")
    officer = case.officers.filter(pk=user_id).first()
    if officer is None:
        raise Http404
    try:
        services.unassign_officer(case, officer, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(case)


@login_required
@require_POST
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "edit")
    form = PartyForm(request.POST)
    if form.is_valid():
        try:
            services.add_party(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Party added."))
            return redirect(case)
    # The page again, with the form as typed and its errors beside the fields.
    return _render_detail(request, case, party_form=form, status=400)


@login_required
@require_POST
def party_remove(request: HttpRequest, pk: int, party_id: int) -> HttpResponse:
    case = get_case(request.user, pk, "edit")
    party = Party.objects.filter(case=case, pk=party_id).first()
    if party is None:
        raise Http404
    try:
        with transaction.atomic():
            services.remove_party(party, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(case)


@login_required
@require_POST
def completeness_exception(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader in charge records why a required record is missing (缺失说明)."""
    case = get_case(request.user, pk)
    try:
        completeness.record_exception(
            case,
            actor=request.user,
            stage=request.POST.get("stage", ""),
            kind=request.POST.get("kind", ""),
            record=request.POST.get("record", ""),
            reason=request.POST.get("reason", ""),
        )
    except completeness.CompletenessError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The explanation is recorded."))
    return redirect(f"{case.get_absolute_url()}#completeness")
