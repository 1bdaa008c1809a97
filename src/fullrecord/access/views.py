"""Pages for access requests, approvals and copies. Thin: access helper, service, template."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fullrecord.accounts.choices import Role
from fullrecord.cases.models import Case
from fullrecord.media.models import MediaItem

from . import copies, services, tasks
from .access import get_copy, get_request, visible_requests
from .choices import RequestState
from .forms import DecisionForm, RequestForm, RevokeForm


@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    visible = visible_requests(request.user).select_related("requester", "case")
    return render(
        request,
        "access/request_list.html",
        {
            "mine": visible.filter(requester=request.user)[:100],
            "to_decide": visible.filter(state=RequestState.PENDING).exclude(requester=request.user)
            if request.user.has_role(Role.LEADER)
            else [],
            "approved": visible.filter(
                state=RequestState.APPROVED, expires_at__gt=timezone.now()
            ).exclude(requester=request.user)[:100]
            if request.user.has_role(Role.LEADER)
            else [],
        },
    )


def resolve_scope(case_number: str, items_text: str):
    """The case and items a request names; unknown ones are reported by value."""
    case = None
    errors = []
    if case_number.strip():
        case = Case.objects.filter(number=case_number.strip()).first()
        if case is None:
            errors.append(_("No case numbered %(number)s.") % {"number": case_number.strip()})
    items = []
    for token in filter(None, (t.strip() for t in items_text.replace("，", ",").split(","))):
        lookup = (
            {"sha256": token.lower()}
            if len(token) == 64
            else {"pk": token}
            if token.isdigit()
            else None
        )
        found = MediaItem.objects.filter(**lookup).first() if lookup else None
        if found is None:
            errors.append(_("No audiovisual record %(ref)s.") % {"ref": token[:70]})
        else:
            items.append(found)
    return case, items, errors


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    initial = {
        "case_number": request.GET.get("case", ""),
        "items": request.GET.get("item", ""),
        "purpose": request.GET.get("purpose", "view"),
    }
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        case, items, errors = resolve_scope(
            form.cleaned_data["case_number"], form.cleaned_data["items"]
        )
        for error in errors:
            form.add_error(None, error)
        if not errors:
            try:
                created = services.file_request(
                    requester=request.user,
                    reason=form.cleaned_data["reason"],
                    purpose=form.cleaned_data["purpose"],
                    case=case,
                    items=items,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Request %(number)s filed; the leader in charge has been told.")
                    % {"number": created.number},
                )
                return redirect(created)
    return render(request, "access/request_form.html", {"form": form})


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_request(request.user, pk)
    is_requester = access_request.requester_id == request.user.pk
    made = list(
        access_request.copies.select_related("item").filter(
            made_by=request.user, kind__in=copies.HANDED_OUT
        )
    )
    return render(
        request,
        "access/request_detail.html",
        {
            "req": access_request,
            "is_requester": is_requester,
            "can_decide": services.can_decide(request.user, access_request)
            and access_request.state == RequestState.PENDING,
            "can_revoke": services.leads_bureau_of(request.user, access_request)
            and access_request.state == RequestState.APPROVED,
            "decision_form": DecisionForm(initial={"days": settings.FULLRECORD_ACCESS_DAYS}),
            "revoke_form": RevokeForm(),
            "items": copies.items_in_scope(access_request).select_related("officer", "org_unit"),
            "copies": made,
            # The copies section asks again by itself (htmx) while one is being made.
            "copies_pending": any(c.state == "pending" for c in made),
            "active": access_request.is_active(),
        },
    )


def _act(request: HttpRequest, action) -> None:
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_request(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.decide(
                access_request,
                actor=request.user,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
                days=form.cleaned_data["days"],
            ),
        )
    else:
        messages.error(request, _("Please correct the decision form."))
    return redirect(access_request)


@login_required
@require_POST
def request_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_request(request.user, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.revoke(
                access_request, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
    else:
        messages.error(request, _("Say why the approval is revoked."))
    return redirect(access_request)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_request(request.user, pk)
    _act(request, lambda: services.withdraw(access_request, actor=request.user))
    return redirect(access_request)


@login_required
@require_POST
def copy_create(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    access_request = get_request(request.user, pk)
    item = copies.items_in_scope(access_request).filter(pk=item_id).first()
    if item is None:
        messages.error(request, _("This record is outside the request's scope."))
    else:
        _act(
            request,
            lambda: tasks.enqueue_copy(copies.start_copy(access_request, item, actor=request.user)),
        )
    return redirect(access_request)


@login_required
@require_POST
def export_create(request: HttpRequest, pk: int) -> HttpResponse:
    access_request = get_request(request.user, pk)
    _act(request, lambda: copies.export_originals(access_request, actor=request.user))
    return redirect(access_request)


@login_required
@require_safe
def copy_download(request: HttpRequest, pk: int) -> HttpResponse:
    return copies.hand_out(get_copy(request.user, pk), actor=request.user)
