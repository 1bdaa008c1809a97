from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fullrecord.cases.models import Cause

from .choices import HoldReason, Outcome

TARGETS = [
    ("item", _("Audiovisual record")),
    ("session", _("Recording session")),
    ("case", _("Case")),
]


class HoldForm(forms.Form):
    target = forms.ChoiceField(label=_("Hold on"), choices=TARGETS)
    target_id = forms.CharField(
        label=_("Record number, session number or case number"), max_length=60
    )
    reason = forms.ChoiceField(label=_("Reason (Article 13)"), choices=HoldReason.choices)
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “other”."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Release the hold")), ("0", _("Keep the hold"))],
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ExportForm(forms.Form):
    request_number = forms.CharField(
        label=_("Approved export request"),
        max_length=30,
        help_text=_("The number of your approved export request covering this case (CY-…)."),
    )
    iso = forms.BooleanField(label=_("Also make a disc image (ISO)"), required=False, initial=True)


class TermForm(forms.Form):
    """A case-file term as the administrator adds or edits it, and why (for the audit log)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    outcome = forms.ChoiceField(label=_("Applies to"), choices=Outcome.choices)
    years = forms.IntegerField(
        label=_("Years"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("Counted from the day the case file is closed. Leave empty for permanent."),
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("Only for these causes"),
        queryset=Cause.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every cause."),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, term=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if term is not None:
            # A cause made inactive since stays ticked and may be unticked.
            self.fields["causes"].queryset = Cause.objects.filter(
                Q(active=True) | Q(pk__in=term.causes.values("pk"))
            )
