"""Pages of the inspection team (第十九条、第二十条). Thin: access helper, service, template."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fullrecord.cases.access import get_case
from fullrecord.media.access import get_item
from fullrecord.media.models import Derivative, MediaItem

from . import access, figures, findings, services
from .choices import RectificationState, ReviewState, SampleKind
from .forms import (
    AnswerForm,
    DrawForm,
    FindingsForm,
    JudgeForm,
    MarkForm,
    PeriodForm,
    PlanForm,
    RectificationForm,
    RubricItemForm,
)
from .models import RubricItem, SampleEntry

FINDINGS_PAGE = 50


def _reader(request: HttpRequest) -> None:
    if not access.is_reader(request.user):
        raise Http404


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    _reader(request)
    plans = access.visible_plans(request.user).select_related("created_by")[:200]
    return render(
        request,
        "supervision/index.html",
        {"plans": plans, "team": access.is_team(request.user)},
    )


def _plan_values(form: PlanForm) -> dict:
    return dict(form.cleaned_data)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    if not access.is_team(request.user):
        raise Http404
    bureau = request.user.org_unit.bureau()
    form = PlanForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(actor=request.user, **_plan_values(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Plan created. Start it when the scope is right: that fixes the seed.")
            )
            return redirect(plan)
    return render(request, "supervision/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan(request.user, pk)
    if not access.can_manage(request.user, plan):
        raise Http404
    initial = {
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "sections": list(plan.sections.all()),
        "officers": list(plan.officers.all()),
        "causes": list(plan.causes.all()),
        "stages": plan.stages,
        "media_kinds": plan.media_kinds,
        "device_numbers": ", ".join(plan.device_numbers),
        "case_strata": plan.case_strata,
        "footage_strata": plan.footage_strata,
        "stratum_sizes": plan.stratum_sizes,
        "cases_per_stratum": plan.cases_per_stratum,
        "footage_per_stratum": plan.footage_per_stratum,
    }
    form = PlanForm(request.POST or None, bureau=plan.bureau, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan, actor=request.user, **_plan_values(form))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect(plan)
    return render(request, "supervision/plan_form.html", {"form": form, "plan": plan})


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan(request.user, pk)
    draw = plan.current_draw
    entries = []
    if draw is not None:
        entries = list(
            draw.entries.select_related(
                "case",
                "case__cause",
                "case__org_unit",
                "item",
                "item__org_unit",
                "item__officer",
                "review",
            )
        )
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "draw": draw,
            "draws": plan.draws.select_related("drawn_by"),
            "case_entries": [e for e in entries if e.kind == SampleKind.CASE],
            "footage_entries": [e for e in entries if e.kind == SampleKind.FOOTAGE],
            "can_manage": access.can_manage(request.user, plan),
            "can_draw": access.can_draw(request.user, plan),
            "reviews_started": services.reviews_started(plan),
            "draw_form": DrawForm(),
            "strata": services.strata_summary(plan, draw),
            "sections": plan.sections.all(),
            "officers": plan.officers.all(),
            "causes": plan.causes.all(),
        },
    )


@login_required
@require_POST
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan(request.user, pk)
    if not access.can_manage(request.user, plan):
        raise Http404
    try:
        services.start_plan(plan, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Plan started: its seed is fixed from the signed audit log."))
    return redirect(plan)


@login_required
@require_POST
def plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan(request.user, pk)
    if not access.can_draw(request.user, plan):
        raise Http404
    form = DrawForm(request.POST)
    form.is_valid()
    try:
        draw = services.draw_sample(
            plan, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Sample drawn: %(n)s records.") % {"n": draw.entries.count()}
            + (
                " " + _("Some strata have fewer records than asked for: all of them were taken.")
                if draw.all_taken
                else ""
            ),
        )
    return redirect(plan)


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access.get_plan(request.user, pk)
    if not access.can_manage(request.user, plan):
        raise Http404
    try:
        services.close_plan(plan, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(plan)


@login_required
@require_POST
def entry_review(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    plan = access.get_plan(request.user, pk)
    if not access.can_manage(request.user, plan):
        raise Http404
    try:
        entry = SampleEntry.objects.get(pk=int(entry_id), draw__plan=plan)
    except (SampleEntry.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    try:
        review = services.open_review(entry, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(plan)
    return redirect(review)


def _posted_scores(request: HttpRequest, items) -> list[dict]:
    scores = []
    for item in items:
        points = request.POST.get(f"points-{item.pk}", "").strip()
        answer = request.POST.get(f"answer-{item.pk}", "").strip()
        comment = request.POST.get(f"comment-{item.pk}", "")
        if item.is_check and not answer:
            continue
        if not item.is_check and points == "" and not comment.strip():
            continue
        scores.append({"item": item.pk, "points": points, "answer": answer, "comment": comment})
    return scores


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review(request.user, pk)
    items = list(services.rubric(review.kind))
    errors: list[str] = []
    if request.method == "POST":
        if not access.can_manage(request.user, review.plan):
            raise Http404
        try:
            services.score_review(
                review,
                actor=request.user,
                scores=_posted_scores(request, items),
                comment=request.POST.get("comment", ""),
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("Review submitted.") if "submit" in request.POST else _("Scores saved."),
            )
            return redirect(review)
    scores = {s.item_id: s for s in review.scores.all()}
    rows = [(item, scores.get(item.pk)) for item in items]
    item = review.entry.item
    context = {
        "review": review,
        "rows": rows,
        "errors": errors,
        "posted": request.POST if errors else None,
        "editable": review.state == ReviewState.DRAFT
        and access.can_manage(request.user, review.plan),
        "subject": review.entry.case or item,
        "marks": review.marks.all(),
        "mark_form": MarkForm(),
        "rectifications": review.rectifications.all(),
        "team": access.is_team(request.user),
    }
    if item is not None:
        context["derivatives"] = set(
            Derivative.objects.filter(item=item).values_list("kind", flat=True)
        )
        context["item"] = item
    else:
        context["links"] = review.entry.case.media_links.select_related("item").order_by("stage")
    return render(request, "supervision/review_detail.html", context)


@login_required
@require_POST
def review_mark(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.get_review(request.user, pk)
    if not access.can_manage(request.user, review.plan):
        raise Http404
    form = MarkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(review)
    try:
        services.add_mark(review, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Moment marked."))
    return redirect(review)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rubric_list(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = RubricItemForm(request.POST or None)
    if request.method == "POST":
        if not access.is_team(request.user):
            raise Http404
        if form.is_valid():
            try:
                services.save_rubric_item(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("Criterion added."))
                return redirect("supervision:rubric")
    return render(
        request,
        "supervision/rubric.html",
        {
            "items": RubricItem.objects.all(),
            "form": form,
            "team": access.is_team(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.is_team(request.user):
        raise Http404
    try:
        item = RubricItem.objects.get(pk=int(pk))
    except (RubricItem.DoesNotExist, ValueError, OverflowError):
        raise Http404 from None
    form = RubricItemForm(request.POST or None, instance=RubricItem.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rubric_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect("supervision:rubric")
    return render(request, "supervision/rubric_edit.html", {"form": form, "item": item})


# --- rectification orders ------------------------------------------------------------------


@login_required
@require_safe
def rectification_list(request: HttpRequest) -> HttpResponse:
    visible = access.visible_rectifications(request.user).select_related(
        "assignee", "assignee_unit", "case"
    )
    today = timezone.localdate()
    state = request.GET.get("state", "")
    if state in RectificationState.values:
        visible = visible.filter(state=state)
    return render(
        request,
        "supervision/rectification_list.html",
        {
            "orders": visible[:300],
            "today": today,
            "states": RectificationState.choices,
            "state": state,
            "team": access.is_team(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rectification_create(request: HttpRequest) -> HttpResponse:
    if not access.is_team(request.user):
        raise Http404
    bureau = request.user.org_unit.bureau()
    review = case = item = None
    source = request.POST if request.method == "POST" else request.GET
    try:
        if source.get("review"):
            review = access.get_review(request.user, source["review"])
        if source.get("case"):
            case = get_case(request.user, source["case"])
        if source.get("item"):
            item = get_item(request.user, source["item"])
    except Http404:
        raise
    initial = {}
    if source.get("finding"):
        initial["finding"] = source["finding"][:1000]
    form = RectificationForm(request.POST or None, bureau=bureau, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.issue_rectification(
                actor=request.user, review=review, case=case, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Rectification order %(number)s issued; the assignee has been told.")
                % {"number": order.number},
            )
            return redirect(order)
    return render(
        request,
        "supervision/rectification_form.html",
        {"form": form, "review": review, "case": case, "item": item},
    )


@login_required
@require_safe
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_rectification(request.user, pk)
    return render(
        request,
        "supervision/rectification_detail.html",
        {
            "order": order,
            "steps": order.steps.select_related("actor"),
            "evidence": order.evidence.all(),
            "can_answer": access.can_answer(request.user, order)
            and order.state == RectificationState.OPEN,
            "can_judge": access.can_judge(request.user, order)
            and order.state == RectificationState.ANSWERED,
            "answer_form": AnswerForm(),
            "judge_form": JudgeForm(),
            "overdue": order.is_overdue(),
        },
    )


@login_required
@require_POST
def rectification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_rectification(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(order)
    items = list(MediaItem.objects.filter(pk__in=form.cleaned_data["evidence"]))
    if len(items) != len(set(form.cleaned_data["evidence"])):
        messages.error(request, _("Evidence must be records you can see."))
        return redirect(order)
    try:
        services.answer_rectification(
            order,
            actor=request.user,
            answer=form.cleaned_data["answer"],
            evidence=items,
            evidence_note=form.cleaned_data["evidence_note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Answer sent to the inspection team."))
    return redirect(order)


@login_required
@require_POST
def rectification_judge(request: HttpRequest, pk: int) -> HttpResponse:
    order = access.get_rectification(request.user, pk)
    form = JudgeForm(request.POST)
    form.is_valid()
    accept = request.POST.get("decision") == "accept"
    try:
        services.judge_rectification(
            order,
            actor=request.user,
            accept=accept,
            note=form.cleaned_data.get("note", ""),
            deadline=form.cleaned_data.get("deadline"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Order closed.") if accept else _("Order reopened."))
    return redirect(order)


# --- findings and the dashboard ----------------------------------------------------------


@login_required
@require_safe
def findings_page(request: HttpRequest) -> HttpResponse:
    """Every kind with its newest findings; one kind (``?kind=``) page by page, all of them."""
    _reader(request)
    form = FindingsForm(request.GET or None)
    start, end, _group = form.period()
    kind = form.chosen_kind()
    bureau = request.user.org_unit.bureau()
    pager = None
    if kind:
        groups = findings.all_findings(bureau, start, end, kind=kind, first=0)
        group = groups[0]
        pager = Paginator(range(group.count), FINDINGS_PAGE).get_page(request.GET.get("page"))
        group.findings = group.fetch(pager.start_index() - 1 if group.count else 0, FINDINGS_PAGE)
    else:
        groups = findings.all_findings(bureau, start, end)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/findings.html",
        {
            "form": form,
            "groups": groups,
            "kind": kind,
            "pager": pager,
            "query": query.urlencode(),
            "period_query": urlencode({"start": start.isoformat(), "end": end.isoformat()}),
            "start": start,
            "end": end,
            "team": access.is_team(request.user),
        },
    )


@login_required
@require_safe
def findings_export(request: HttpRequest) -> HttpResponse:
    """Every finding of the period (or of one kind) as XLSX: a sheet per kind."""
    _reader(request)
    from . import exports

    form = FindingsForm(request.GET or None)
    start, end, _group = form.period()
    return exports.findings_response(request.user, start=start, end=end, kind=form.chosen_kind())


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = PeriodForm(request.GET or None)
    start, end, group = form.period()
    bureau = request.user.org_unit.bureau()
    rows, total = figures.figures(bureau, start=start, end=end, group=group)
    months, _total = figures.figures(bureau, start=start, end=end, group="month")
    refreshed = figures.refreshed_at()
    return render(
        request,
        "supervision/dashboard.html",
        {
            "form": form,
            "rows": rows,
            "total": total,
            "metrics": figures.METRICS,
            "group": group,
            "start": start,
            "end": end,
            "refreshed_at": refreshed,
            "freshness": figures.freshness_text(refreshed),
            "can_recount": access.is_team(request.user),
            "chart": figures.chart_data(rows, months),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def dashboard_refresh(request: HttpRequest) -> HttpResponse:
    if not access.is_team(request.user):
        raise Http404
    services.recount_dashboard(actor=request.user)
    messages.success(request, _("Figures recounted."))
    return redirect("supervision:dashboard")


@login_required
@require_safe
def dashboard_export(request: HttpRequest, kind: str) -> HttpResponse:
    _reader(request)
    from . import exports

    form = PeriodForm(request.GET or None)
    start, end, group = form.period()
    return exports.respond(request.user, kind, start=start, end=end, group=group)
