"""The document catalogue (文书种类) in the application's own pages, for the system
administrator (三员分立; everyone else the same 404). What changes in daily work: names,
whether a stage requires a type, its order, retiring it. Parts, numbering and approval
chains stay in the fallback admin. Thin: ``services.save_document_type`` records."""

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
from .models import DocumentType


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = list(services.DOCUMENT_TYPE_FIELDS)


@login_required
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    require_administer(request.user)
    return render(request, "documents/catalogue.html", {"types": DocumentType.objects.all()})


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_administer(request.user)
    doc_type = get_object_or_404(DocumentType, pk=pk)
    form = DocumentTypeForm(request.POST or None, instance=DocumentType.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_document_type(doc_type, actor=request.user, **form.cleaned_data)
        except services.DocumentError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Document type saved."))
            return redirect("documents:catalogue")
    return render(request, "documents/type_form.html", {"form": form, "doc_type": doc_type})
