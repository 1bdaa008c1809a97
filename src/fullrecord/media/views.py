"""Pages for audiovisual evidence. Thin: access helper, service, template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.access import visible_cases

from . import clock, derived, fixity, panels, playback, services
from .access import can_classify, get_item, reached_through, visible_media
from .filtersets import MediaFilterSet
from .forms import ClassificationForm, LinkForm
from .pagination import paginate


@login_required
@vary_on_headers("HX-Request")
@require_safe
def media_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        visible_media(request.user)
        .select_related("org_unit", "officer", "cause")
        .prefetch_related("derivatives")
    )
    params = request.GET.copy()
    cursor = params.pop("cursor", [None])[0]
    filterset = MediaFilterSet(params or None, queryset=queryset)
    items = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    page = paginate(items, cursor, 30)
    # htmx swaps only the rows; a history restore wants the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    template = "media/_media_rows.html" if partial else "media/media_list.html"
    return render(
        request,
        template,
        {
            "filter": filterset if filterset.is_bound else MediaFilterSet(queryset=queryset),
            "page": page,
            "query": params.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def media_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item(request.user, pk)
    may_classify = can_classify(request.user, item)
    form = ClassificationForm(instance=item) if may_classify else None
    link_form = LinkForm()
    if request.method == "POST":
        if "link" in request.POST:
            link_form = LinkForm(request.POST)
            if link_form.is_valid():
                case = (
                    visible_cases(request.user)
                    .filter(number=link_form.cleaned_data["case_number"].strip())
                    .first()
                )
                if case is None:
                    link_form.add_error(
                        "case_number", _("No case with this number is open to you.")
                    )
                else:
                    try:
                        services.link_to_case(
                            item,
                            case,
                            actor=request.user,
                            stage=link_form.cleaned_data["stage"] or case.stage,
                            note=link_form.cleaned_data["note"],
                        )
                    except ValidationError as exc:
                        link_form.add_error(None, exc)
                    else:
                        messages.success(
                            request, _("Linked to case %(number)s.") % {"number": case.number}
                        )
                        return redirect(item)
        elif may_classify:
            form = ClassificationForm(request.POST, instance=get_item(request.user, pk))
            if form.is_valid():
                changes = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
                try:
                    services.correct_classification(
                        get_item(request.user, pk),
                        actor=request.user,
                        changes=changes,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, _("Classification corrected."))
                    return redirect(item)
        else:
            raise Http404
    else:
        services.record_access(item, actor=request.user, action="view")
        fixity.note_if_missing(item, actor=request.user)
    derivatives, lost = derived.kinds_on_disk(item)
    if lost:
        derived.request_rebuild(item)  # the page says they are being made, not a broken player
    # Seen only through an access request: the player gets a watermarked rendition, whose
    # making starts now so it is ready, or nearly, when play is pressed.
    through = reached_through(request.user, item)
    rendition = None
    if through is not None and item.kind in ("video", "audio", "photo"):
        rendition = playback.rendition_state(request.user, item)
    custody = AuditEntry.objects.filter(
        object_type="media.mediaitem", object_id=str(item.pk)
    ).select_related("actor")
    # The bureau's time where an app knows the device clock was off (derived, not stored).
    bureau_time = clock.bureau_times([item]).get(item.pk)
    return render(
        request,
        "media/media_detail.html",
        {
            "item": item,
            "bureau_time": bureau_time,
            "clock_note": clock.correction_note(item.used_at, bureau_time),
            "form": form,
            "link_form": link_form,
            "derivatives": derivatives,
            "being_made": bool(lost) or item.derived_requested_at is not None,
            "through": through,
            "rendition": rendition,
            "custody": custody,
            "links": item.case_links.select_related("case", "linked_by"),
            "segments": item.session.segments.order_by("used_at") if item.session_id else [],
            "panels": panels.render_all(request, item),
        },
    )


@login_required
@require_safe
def upload_page(request: HttpRequest) -> HttpResponse:
    """Drag-and-drop, several files, a bar per file, resumable (tus). Optional ``?case=<id>``."""
    from fullrecord.cases.access import get_case

    from .access import can_upload

    if not can_upload(request.user):
        raise Http404
    case = get_case(request.user, request.GET["case"], "edit") if request.GET.get("case") else None
    return render(request, "media/upload.html", {"case": case})


@login_required
@require_safe
def media_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The analysis status alone, which pages poll while a record is analysed. It shows
    no content of the record, so it is not recorded as a view (opening the page is)."""
    return render(request, "media/_status.html", {"item": get_item(request.user, pk)})
