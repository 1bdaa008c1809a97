from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from knox.models import AuthToken

from . import services
from .forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    http_method_names = ["get", "head", "post", "options"]  # no PUT: it would sign in too


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; the audit entry comes from the ``user_logged_out`` receiver
    (accounts/signals.py), which covers the admin's sign-out too."""


def _profile(request: HttpRequest, **extra) -> HttpResponse:
    tokens = AuthToken.objects.filter(user=request.user).order_by("created")
    context = {
        "person": request.user,
        "tokens": tokens,
        "mail_configured": settings.FULLRECORD_NOTIFICATION_MAIL,
        **extra,
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request)


@never_cache
@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """A new API token of one's own, its key shown in this answer only (recorded)."""
    token, key = services.create_api_token(
        request.user, actor=request.user, rotate=request.POST.get("rotate") == "1", via="page"
    )
    return _profile(request, new_key=key, new_token=token)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    """Revoke one of one's own tokens (recorded); anyone else's is the same 404 as none."""
    if not services.revoke_api_tokens(
        request.user, actor=request.user, token_key=token_key, via="page"
    ):
        raise Http404
    messages.success(request, _("The API token was revoked."))
    return redirect("accounts:profile")


@login_required
@require_POST
def email_notifications(request: HttpRequest) -> HttpResponse:
    """Turn the e-mail copy of one's own notifications on or off."""
    on = services.set_email_notifications(
        request.user, request.POST.get("on") == "1", actor=request.user
    )
    messages.success(
        request,
        _("Notifications will also come by e-mail.")
        if on
        else _("Notifications will no longer come by e-mail."),
    )
    return redirect("accounts:profile")
