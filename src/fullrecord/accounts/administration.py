"""The system administrator's pages (系统管理员, 三员分立): accounts and the organisation
tree, and the hub that leads to the catalogues kept by their own apps (causes in cases,
document types in documents). Thin: rules and records are in ``services.py``; who may is
``access.can_administer`` (everyone else: the same 404 as a missing page). The Django
admin stays as the fallback for what these pages do not cover."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import access, services
from .forms import AccountForm, UnitForm
from .models import OrgUnit, User

PAGE_SIZE = 50


def _service_errors(form, exc: services.AccountError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_safe
def hub(request: HttpRequest) -> HttpResponse:
    access.require_administer(request.user)
    return render(
        request,
        "accounts/manage/hub.html",
        {
            "accounts": User.objects.filter(is_active=True).count(),
            "units": OrgUnit.objects.filter(active=True).count(),
        },
    )


@login_required
@require_safe
def user_list(request: HttpRequest) -> HttpResponse:
    access.require_administer(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "active")
    people = User.objects.select_related("org_unit").prefetch_related("role_grants")
    if q:
        people = people.filter(
            Q(username__icontains=q)
            | Q(full_name__icontains=q)
            | Q(phone__icontains=q)
            | Q(email__icontains=q)
            | Q(org_unit__name__icontains=q)
        )
    if status in ("active", "inactive"):
        people = people.filter(is_active=status == "active")
    total = people.count()
    people = list(people[:PAGE_SIZE])
    for person in people:
        # Roles from the prefetch: one query for the page, not one per row.
        person.__dict__["roles"] = frozenset(g.role for g in person.role_grants.all())
    context = {"people": people, "q": q, "status": status, "total": total, "shown": PAGE_SIZE}
    # htmx swaps only the rows while typing; a history restore wants the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "accounts/manage/_user_rows.html", context)
    return render(request, "accounts/manage/user_list.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    access.require_administer(request.user)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person, password = services.create_account(actor=request.user, **form.cleaned_data)
        except services.AccountError as exc:
            _service_errors(form, exc)
        else:
            # Shown in this answer only (never_cache); the holder changes it at first sign-in.
            return render(
                request,
                "accounts/manage/user_created.html",
                {"person": person, "password": password},
            )
    return render(request, "accounts/manage/user_form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_administer(request.user)
    person = get_object_or_404(User, pk=pk)
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_account(person, actor=request.user, **form.cleaned_data)
        except services.AccountError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Account saved.") if changed else _("Nothing changed."))
            return redirect("accounts:user_edit", pk=pk)
    return render(request, "accounts/manage/user_form.html", {"form": form, "person": person})


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_administer(request.user)
    person = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(
            person, active, actor=request.user, reason=request.POST.get("reason", "")
        )
    except services.AccountError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Account reactivated.") if active else _("Account deactivated.")
        )
    return redirect("accounts:user_edit", pk=pk)


@login_required
@require_safe
def unit_list(request: HttpRequest) -> HttpResponse:
    access.require_administer(request.user)
    from django.db.models import Count

    units = list(
        OrgUnit.objects.annotate(people=Count("members", filter=Q(members__is_active=True)))
    )
    for unit in units:
        unit.indent = "　" * max(unit.depth, 0)  # the tree, ordered by path
    return render(request, "accounts/manage/unit_list.html", {"units": units})


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    access.require_administer(request.user)
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(actor=request.user, **form.cleaned_data)
        except services.AccountError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("accounts:unit_list")
    return render(request, "accounts/manage/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_administer(request.user)
    unit = get_object_or_404(OrgUnit, pk=pk)
    form = UnitForm(request.POST or None, instance=OrgUnit.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_unit(unit, actor=request.user, **form.cleaned_data)
        except services.AccountError as exc:
            _service_errors(form, exc)
        else:
            messages.success(request, _("Unit saved.") if changed else _("Nothing changed."))
            return redirect("accounts:unit_list")
    return render(request, "accounts/manage/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def unit_active(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_administer(request.user)
    unit = get_object_or_404(OrgUnit, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_unit_active(unit, active, actor=request.user)
    except services.AccountError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Unit reopened.") if active else _("Unit closed."))
    return redirect("accounts:unit_edit", pk=pk)
