"""Forms of the written-records pages; the services decide, the forms only parse."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fullrecord.cases.forms import DateInput

from .choices import PARTY_PAPER, Field, ServiceMethod, Source
from .content import officers_of
from .models import Document, DocumentType


class DraftForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Document type"),
        queryset=DocumentType.objects.filter(active=True, source=Source.DRAFTED),
    )


class ScanForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Document type"),
        queryset=DocumentType.objects.filter(active=True)
        .exclude(source=Source.DRAFTED)
        .exclude(code=PARTY_PAPER),
    )
    file = forms.FileField(label=_("Scan (PDF or image)"))


class PaperForm(forms.Form):
    """A party's paper against an item of its checklist (the page sends one per line)."""

    party = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Scan (PDF or image)"))


class NotApplicableForm(forms.Form):
    party = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why it does not apply"), min_length=4, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContentForm(forms.Form):
    """The parts of one drafted document, built from its type's list of parts."""

    def __init__(self, *args, document: Document, **kwargs):
        super().__init__(*args, **kwargs)
        content = document.content or {}
        case = document.case
        for name in document.doc_type.fields:
            label = Field(name).label
            if name == Field.OFFICERS:
                choices = [
                    (
                        a.officer_id,
                        f"{a.officer}（{a.officer.certificate_number or _('no certificate number')}）",
                    )
                    for a in case.assignments.select_related("officer")
                ]
                named = {u.pk for u in officers_of(content)}
                self.fields[name] = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    initial=[pk for pk, _label in choices if pk in named],
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    initial=content.get(name, ""),
                    widget=forms.Textarea(
                        attrs={
                            "rows": 2
                            if name in (Field.PARTY, Field.CAUSE, Field.PLACE, Field.TIME)
                            else 5
                        }
                    ),
                )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is corrected"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=ServiceMethod.choices)
    served_on = forms.DateField(
        label=_("Served on"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    recipient = forms.CharField(label=_("Recipient"), max_length=100)
    witnesses = forms.CharField(label=_("Witnesses"), max_length=200, required=False)
    consent = forms.CharField(
        label=_("The party's consent to electronic service"),
        required=False,
        help_text=_("Required for electronic service: how and when the party agreed."),
    )
    address = forms.CharField(label=_("Address or channel"), max_length=300, required=False)
    proof = forms.FileField(label=_("Signed proof of service (送达回证)"), required=False)

    def __init__(self, *args, document=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The picker offers only the days ``services.record_service`` accepts: from the day
        # the document was issued to today.
        attrs = self.fields["served_on"].widget.attrs
        attrs["max"] = timezone.localdate().isoformat()
        if document is not None and document.issued_at:
            attrs["min"] = timezone.localdate(document.issued_at).isoformat()


class TemplateForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Document type"),
        queryset=DocumentType.objects.filter(active=True, source=Source.DRAFTED),
    )
    file = forms.FileField(label=_("Word template (.docx)"))
