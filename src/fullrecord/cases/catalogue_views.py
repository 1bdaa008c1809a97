"""The cause catalogue (案由) in the application's own pages, for the system administrator
(三员分立; ``accounts.access.can_administer``, everyone else the same 404). Causes are
retired, never deleted. Thin: the rule and the record are ``services.save_cause``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from fullrecord.accounts.access import require_administer

from . import services
from .models import Cause


class CauseForm(forms.ModelForm):
    class Meta:
        model = Cause
        fields = list(services.CAUSE_FIELDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True


@login_required
@require_safe
def cause_list(request: HttpRequest) -> HttpResponse:
    require_administer(request.user)
    return render(request, "cases/causes.html", {"causes": Cause.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def cause_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_administer(request.user)
    cause = get_object_or_404(Cause, pk=pk) if pk is not None else None
    form = CauseForm(request.POST or None, instance=cause)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_cause(cause, actor=request.user, **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Cause saved."))
            return redirect("cases:cause_list")
    return render(request, "cases/cause_form.html", {"form": form, "cause": cause})
