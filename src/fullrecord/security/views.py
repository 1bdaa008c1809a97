"""Pages under /administration/ (security and audit administrators) and the own-account
pages every user reaches: password, second factor. Thin: rules are in services.py."""

from __future__ import annotations

import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from fullrecord.accounts.models import User
from fullrecord.audit.services import record

from . import access, compliance, services
from .forms import OwnPasswordForm, PolicyForm, RoleForm, TokenForm
from .models import SecurityPolicy, SM3TokenDevice
from .roles import ADMIN_ROLES


def _refuse(request: HttpRequest, action: str) -> HttpResponse:
    """A change asked for by someone who may only read: recorded, then 403."""
    services.record_refusal(request.user, action, _("only the security administrator may do this"))
    return render(request, "security/refused.html", status=403)


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    access.require_read(request.user)
    form = RoleForm(request.POST or None)
    if request.method == "POST":
        if not access.can_manage(request.user):
            return _refuse(request, "security.role_granted")
        if form.is_valid():
            user = User.objects.filter(username=form.cleaned_data["username"]).first()
            if user is None:
                form.add_error("username", _("No such user."))
            else:
                try:
                    services.grant_role(user, form.cleaned_data["role"], actor=request.user)
                except services.SecurityError as exc:
                    form.add_error("role", str(exc))
                else:
                    messages.success(request, _("Role granted."))
                    return redirect("security:index")
    people = (
        User.objects.filter(role_grants__role__in=ADMIN_ROLES)
        .distinct()
        .prefetch_related("role_grants")
        .order_by("username")
    )
    others = (
        User.objects.filter(is_active=True)
        .exclude(pk__in=people.values("pk"))
        .prefetch_related("role_grants")
        .order_by("username")
    )
    return render(
        request,
        "security/index.html",
        {
            "form": form,
            "admins": people,
            "others": others,
            "can_manage": access.can_manage(request.user),
        },
    )


@login_required
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    access.require_read(request.user)
    user = get_object_or_404(User, pk=pk)
    if not access.can_manage(request.user):
        return _refuse(request, f"security.{action}")
    try:
        if action == "revoke":
            services.revoke_role(user, request.POST.get("role", ""), actor=request.user)
            messages.success(request, _("Role taken away."))
        elif action == "reset_password":
            password = services.reset_password(user, actor=request.user)
            messages.warning(
                request,
                _("Temporary password of %(user)s, shown this once: %(password)s")
                % {"user": user, "password": password},
            )
        elif action == "reset_two_factor":
            services.reset_two_factor(user, actor=request.user)
            messages.success(request, _("One-time-code devices removed."))
        elif action == "unlock":
            # The sign-in lock (accounts/signin.py), lifted here rather than in the Django admin.
            from fullrecord.accounts import signin

            if signin.unlock(user.get_username(), actor=request.user):
                messages.success(request, _("Sign-in lock lifted."))
            else:
                messages.info(request, _("This account was not locked."))
        else:
            raise Http404
    except services.SecurityError as exc:
        messages.error(request, str(exc))
    return redirect("security:index")


@login_required
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    access.require_read(request.user)
    current = SecurityPolicy.current()
    form = PolicyForm(request.POST or None, instance=SecurityPolicy.current())
    if request.method == "POST":
        if not access.can_manage(request.user):
            return _refuse(request, "security.policy_changed")
        if form.is_valid():
            try:
                services.set_policy(
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in services.POLICY_FIELDS},
                )
            except services.SecurityError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Security policy saved."))
                return redirect("security:policy")
    return render(
        request,
        "security/policy.html",
        {"form": form, "policy": current, "can_manage": access.can_manage(request.user)},
    )


@login_required
@require_safe
def compliance_report(request: HttpRequest) -> HttpResponse:
    access.require_read(request.user)
    results = compliance.run()
    with transaction.atomic():
        record(
            "security.compliance_viewed",
            actor=request.user,
            summary=_("Compliance self-check read"),
            data={r.control.code: r.result for r in results},
        )
    return render(request, "security/compliance.html", {"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def own_password(request: HttpRequest) -> HttpResponse:
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password"]
            )
        except services.SecurityError as exc:
            form.add_error("old_password", str(exc))
        except ValidationError as exc:
            form.add_error("new_password", exc)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("core:dashboard")
    expired = services.password_expired(request.user)
    return render(request, "security/own_password.html", {"form": form, "expired": expired})


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _qr_svg(url: str) -> str:
    # segno writes the SVG itself from the URL's bits: no user text reaches the markup.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4))  # noqa: S308


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a one-time code, or enrol a phone-app device first (QR code)."""
    user = request.user
    confirmed = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *SM3TokenDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    form = TokenForm(request.POST or None)
    if confirmed:
        if request.method == "POST" and form.is_valid():
            token = form.cleaned_data["token"].strip()
            for device in confirmed:
                if device.verify_token(token):
                    otp_login(request, device)
                    return redirect(_next(request))
            services.record_refusal(user, "security.otp_verified", _("wrong one-time code"))
            form.add_error("token", _("The code is wrong or was used already."))
        return render(request, "security/two_factor.html", {"form": form, "enrol": False})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("phone app"), confirmed=False)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            codes = [secrets.token_hex(4) for _ in range(10)]
            with transaction.atomic():
                device.confirmed = True
                device.save()
                static = StaticDevice.objects.create(user=user, name=_("recovery codes"))
                StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
                record(
                    "security.otp_enrolled",
                    actor=user,
                    obj=user,
                    summary=_("%(user)s enrolled a one-time-code device") % {"user": user},
                    data={"device": "totp", "recovery_codes": len(codes)},
                )
            otp_login(request, device)
            return render(request, "security/recovery_codes.html", {"codes": codes})
        services.record_refusal(user, "security.otp_enrolled", _("wrong one-time code"))
        form.add_error("token", _("The code is wrong; check the phone's clock and try again."))
    return render(
        request,
        "security/two_factor.html",
        {
            "form": form,
            "enrol": True,
            "qr": _qr_svg(device.config_url),
            "secret": device.bin_key.hex(),
            "config_url": device.config_url,
        },
    )


@login_required
@require_POST
def reveal_party(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    from fullrecord.cases.models import Party

    party = Party.objects.filter(pk=pk).select_related("case").first()
    if party is None or field not in services.REVEALABLE:
        raise Http404
    try:
        value = services.reveal_party_field(party, field, actor=request.user)
    except services.SecurityError:
        raise Http404 from None
    return HttpResponse(value, content_type="text/plain; charset=utf-8")
