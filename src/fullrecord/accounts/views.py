from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    http_method_names = ["get", "head", "post", "options"]  # no PUT: it would sign in too


class SignOutView(auth_views.LogoutView):
    """Django's sign-out; the audit entry comes from the ``user_logged_out`` receiver
    (accounts/signals.py), which covers the admin's sign-out too."""


@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"person": request.user})
