"""Pages of retention. Thin: access helper, service, template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fullrecord.cases.access import get_case, visible_cases
from fullrecord.media.access import visible_media
from fullrecord.media.models import MediaItem, RecordingSession

from . import access, certificate, services, terms
from .choices import HoldState, Outcome, SweepState
from .forms import DecideForm, ExportForm, HoldForm, NoteForm, TermForm
from .models import FixityRun


def _forbidden_unless(allowed: bool) -> None:
    if not allowed:
        raise Http404


@login_required
@require_safe
def due(request: HttpRequest) -> HttpResponse:
    """Due for deletion: what has fallen due, the sweeps awaiting approval, and history."""
    _forbidden_unless(access.can_read_sweeps(request.user))
    pending = services.due_items(bureau=services.bureau_of(request.user)).select_related(
        "retention"
    )
    by_rule = pending.values("retention__rule").annotate(count=Count("pk"), bytes=Sum("size"))
    sweeps = access.visible_sweeps(request.user).select_related(
        "proposed_by", "archivist_approval_by", "leader_approval_by"
    )
    return render(
        request,
        "retention/due.html",
        {
            "pending": pending[:200],
            "pending_count": pending.count(),
            "pending_bytes": pending.aggregate(total=Sum("size"))["total"] or 0,
            "by_rule": [
                {
                    "rule": services.Rule(row["retention__rule"]).label,
                    "count": row["count"],
                    "bytes": row["bytes"],
                }
                for row in by_rule
            ],
            "open_sweeps": sweeps.filter(state__in=(SweepState.LISTED, SweepState.APPROVED)),
            "done_sweeps": sweeps.exclude(state__in=(SweepState.LISTED, SweepState.APPROVED))[:50],
            "may_propose": access.can_propose(request.user),
            "fixity": FixityRun.objects.first(),
            "grace_days": services.grace_days(),
        },
    )


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    _forbidden_unless(access.can_read_sweeps(request.user))
    try:
        sweep = services.start_sweep(actor=request.user)
    except services.SweepRunning as exc:
        messages.error(request, str(exc))
        return redirect(exc.sweep)
    except services.RetentionError as exc:
        messages.error(request, str(exc))
        return redirect("retention:due")
    messages.success(request, _("Sweep %(number)s listed.") % {"number": sweep.number})
    return redirect(sweep)


@login_required
@require_safe
def sweep_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = access.get_sweep(request.user, pk)
    entries = sweep.items.all()
    return render(
        request,
        "retention/sweep_detail.html",
        {
            "sweep": sweep,
            "entries": entries[:500],
            "total": entries.aggregate(count=Count("pk"), bytes=Sum("size")),
            "may_approve": access.can_approve(request.user)
            and sweep.state == SweepState.LISTED
            and request.user.pk
            not in (sweep.archivist_approval_by_id, sweep.leader_approval_by_id),
            "may_cancel": access.can_approve(request.user) and sweep.open,
            "cancel_form": NoteForm(),
        },
    )


@login_required
@require_POST
def sweep_approve(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = access.get_sweep(request.user, pk)
    try:
        sweep = services.approve(sweep, actor=request.user)
    except services.RetentionError as exc:
        messages.error(request, str(exc))
    else:
        if sweep.state == SweepState.DONE:
            messages.success(
                request,
                _("Both approvals given: %(count)s originals deleted, certificate issued.")
                % {"count": sweep.deleted_count},
            )
        else:
            messages.success(request, _("Your approval is recorded."))
    return redirect(sweep)


@login_required
@require_POST
def sweep_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = access.get_sweep(request.user, pk)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise services.RetentionError(_("Say why the sweep is cancelled."))
        services.cancel(sweep, actor=request.user, reason=form.cleaned_data["note"])
    except services.RetentionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The sweep is cancelled; nothing was deleted."))
    return redirect(sweep)


@login_required
@require_safe
def sweep_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    sweep = access.get_sweep(request.user, pk)
    if sweep.certificate_id is None:
        raise Http404
    pdf = certificate.issue(sweep, actor=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{sweep.number}.pdf"'
    return response


# ---------------------------------------------------------------- case-file terms


@login_required
@require_safe
def term_list(request: HttpRequest) -> HttpResponse:
    """Case-file terms per kind of case (第十二条); the administrator edits them here."""
    _forbidden_unless(access.can_read_terms(request.user))
    rows = access.visible_terms(request.user).prefetch_related("causes")
    return render(
        request,
        "retention/terms.html",
        {
            "groups": [
                (label, [t for t in rows if t.outcome == value]) for value, label in Outcome.choices
            ],
            "may_manage": terms.can_manage(request.user),
        },
    )


def _term_form_page(request: HttpRequest, term=None) -> HttpResponse:
    _forbidden_unless(terms.can_manage(request.user))
    initial = {}
    if term is not None:
        initial = {
            "name": term.name,
            "outcome": term.outcome,
            "years": term.years,
            "causes": list(term.causes.all()),
        }
    form = TermForm(request.POST or None, initial=initial, term=term)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            if term is None:
                term = terms.add_term(actor=request.user, reason=reason, **data)
                messages.success(request, _("The term is added and in force."))
            else:
                term = terms.change_term(term, actor=request.user, reason=reason, **data)
                messages.success(request, _("The term is changed."))
        except services.RetentionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.info(request, _("Keep-until dates of case evidence are being recomputed."))
            return redirect("retention:terms")
    return render(
        request,
        "retention/term_form.html",
        {"form": form, "term": term, "active_form": NoteForm()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def term_add(request: HttpRequest) -> HttpResponse:
    return _term_form_page(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def term_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _term_form_page(request, access.get_term(request.user, pk))


@login_required
@require_POST
def term_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate a term, or put it back in force, with a reason."""
    term = access.get_term(request.user, pk)
    _forbidden_unless(terms.can_manage(request.user))
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise services.RetentionError(
                _("Say why: every change of a case-file term is recorded.")
            )
        active = request.POST.get("active") == "1"
        terms.set_active(term, actor=request.user, active=active, reason=form.cleaned_data["note"])
    except services.RetentionError as exc:
        messages.error(request, str(exc))
        return redirect("retention:term_edit", pk=term.pk)
    messages.success(
        request,
        _("The term is in force again.") if active else _("The term no longer applies."),
    )
    return redirect("retention:terms")


# ---------------------------------------------------------------- holds


def _resolve_target(user, kind: str, value: str) -> dict:
    value = value.strip()
    if kind == "case":
        case = visible_cases(user, include_grants=False).filter(number=value).first()
        if case is None:
            raise services.RetentionError(_("No case with this number is open to you."))
        return {"case": case}
    if not value.isdigit():
        raise services.RetentionError(_("Give the number shown on the record or session."))
    items = visible_media(user, include_grants=False)
    if kind == "session":
        session = RecordingSession.objects.filter(
            pk=int(value), pk__in=items.values("session_id")
        ).first()
        if session is None:
            raise services.RetentionError(
                _("No recording session with this number is open to you.")
            )
        return {"session": session}
    item = items.filter(pk=int(value)).first()
    if item is None:
        raise services.RetentionError(_("No audiovisual record with this number is open to you."))
    return {"item": item}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def holds(request: HttpRequest) -> HttpResponse:
    """Holds on what the user sees; section heads, inspectors and the leader place them."""
    _forbidden_unless(request.user.has_role(*access.HOLD_READERS))
    may_place = services.can_place_hold(request.user)
    status = 200
    if request.method == "POST":
        _forbidden_unless(may_place)
        form = HoldForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = _resolve_target(request.user, data["target"], data["target_id"])
                hold = services.place_hold(
                    actor=request.user, reason=data["reason"], note=data["note"], **target
                )
            except services.RetentionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The hold is in force."))
                return redirect(hold)
        status = 400
    else:
        form = HoldForm(
            initial={k: request.GET[k] for k in ("target", "target_id") if k in request.GET}
        )
    return render(
        request,
        "retention/holds.html",
        {
            "holds": access.visible_holds(request.user).select_related("placed_by")[:200],
            "form": form if may_place else None,
        },
        status=status,
    )


@login_required
@require_safe
def hold_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hold = access.get_hold(request.user, pk)
    return render(
        request,
        "retention/hold_detail.html",
        {
            "hold": hold,
            "may_ask": services.can_place_hold(request.user) and hold.state == HoldState.ACTIVE,
            "may_decide": request.user.has_role("leader") and hold.state == HoldState.RELEASE_ASKED,
            "ask_form": NoteForm(),
            "decide_form": DecideForm(),
        },
    )


@login_required
@require_POST
def hold_ask_release(request: HttpRequest, pk: int) -> HttpResponse:
    hold = access.get_hold(request.user, pk)
    form = NoteForm(request.POST)
    try:
        services.ask_release(
            hold, actor=request.user, note=form.cleaned_data["note"] if form.is_valid() else ""
        )
    except services.RetentionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The leader in charge is asked to release the hold."))
    return redirect(hold)


@login_required
@require_POST
def hold_decide(request: HttpRequest, pk: int) -> HttpResponse:
    hold = access.get_hold(request.user, pk)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise services.RetentionError(_("Choose a decision."))
        services.decide_release(
            hold,
            actor=request.user,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
        )
    except services.RetentionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect(hold)


# ---------------------------------------------------------------- the case file on disc


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The archivist's button: export a case to a BagIt package and a disc image."""
    case = get_case(request.user, pk)
    _forbidden_unless(access.can_export(request.user))
    from . import export

    form = ExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = export.start(
                case,
                actor=request.user,
                request_number=form.cleaned_data["request_number"],
                iso=form.cleaned_data["iso"],
            )
        except export.ExportError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(job)
    return render(
        request,
        "retention/export_form.html",
        {
            "case": case,
            "form": form,
            "exports": access.visible_exports(request.user).filter(case=case)[:20],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access.get_export(request.user, pk)
    template = "retention/_export_progress.html" if request.htmx else "retention/export_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_safe
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = access.get_export(request.user, pk)
    from . import export

    return export.hand_out(job, actor=request.user)


@login_required
@require_safe
def item_retention(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's keep-until date and why (the card on the record's page, for htmx)."""
    item = visible_media(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "retention/_item_card.html", item_context(request.user, item))


def item_context(user, item: MediaItem) -> dict:
    row = getattr(item, "retention", None) if hasattr(item, "retention") else None
    return {
        "item": item,
        "retention": row,
        "why": services.describe(row),
        "holds": services.holds_on(item).select_related("placed_by"),
        "may_hold": services.can_place_hold(user),
    }
