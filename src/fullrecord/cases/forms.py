from __future__ import annotations

from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User

from .access import acting_roles
from .models import Case, Cause, Party


class DateInput(forms.DateInput):
    """An HTML date picker; it only understands ISO dates, whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None, format=None) -> None:  # noqa: A002 - Django's name
        super().__init__(attrs, format=format or "%Y-%m-%d")


class CaseForm(forms.ModelForm):
    # 主办 and 协办: the lead answers for the case; the first officer the service assigns
    # is the lead, so the form puts the chosen lead first.
    lead = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Lead officer"),
        help_text=_("主办: the officer who leads the case and answers for it."),
    )
    officers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Co-handling officers"),
        help_text=_(
            "协办: the officers who work the case with the lead. From investigation on, "
            "at least two officers with certificate numbers."
        ),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Case
        fields = [
            "cause",
            "source",
            "org_unit",
            "discovered_on",
            "address",
            "latitude",
            "longitude",
            "summary",
        ]
        widgets = {"discovered_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause"].queryset = Cause.objects.filter(active=True)
        units = OrgUnit.objects.all()
        if user.org_unit_id:
            units = user.org_unit.bureau().subtree()
            self.fields["org_unit"].initial = user.org_unit_id
        # A closed unit (accounts: closed, never deleted) takes no new case.
        self.fields["org_unit"].queryset = units.filter(
            Q(active=True) | Q(pk=self.instance.org_unit_id)
        )
        officers = User.objects.filter(
            role_grants__role=Role.OFFICER, is_active=True, org_unit__in=units
        ).distinct()
        self.fields["officers"].queryset = officers
        self.fields["lead"].queryset = officers
        if user.has_role(Role.OFFICER):
            self.fields["lead"].initial = user.pk
        # Whoever opens the case without naming officers is its lead (主办), when an officer.
        self.opener_leads = not user.has_role(Role.SECTION_HEAD, Role.LEADER) and user.has_role(
            Role.OFFICER
        )
        self.names_officers = user.has_role(Role.SECTION_HEAD, Role.LEADER)
        self.opener = user
        if not self.names_officers:
            # Only those who may assign officers name them (an officer opening a case is
            # assigned to it alone); a crafted POST still reaches the service, which refuses.
            self.fields["officers"].widget = forms.MultipleHiddenInput()
            self.fields["lead"].widget = forms.HiddenInput()
        if self.instance.pk:
            del self.fields["officers"]
            del self.fields["lead"]
            del self.fields["org_unit"]
            self.fields["reason"] = ChangeReasonField(self.instance)

    def clean(self):
        cleaned = super().clean()
        if "lead" not in self.fields:
            return cleaned
        lead = cleaned.pop("lead", None)
        others = list(cleaned.get("officers") or [])
        if lead is None and self.opener.has_role(Role.OFFICER) and others:
            lead = self.opener  # as the service does: an officer who opens it leads it
        elif lead is None and len(others) == 1:
            lead = others[0]
        if others and lead is None and self.names_officers:
            self.add_error("lead", _("Choose the lead officer (主办) among the officers."))
        elif lead is not None:
            chosen = [lead, *(o for o in others if o != lead)]
            # The service puts an opener who is an officer first when not named; a head
            # who is also an officer then works the case as a co-handler, and the lead
            # chosen here stays the lead.
            if self.opener.has_role(Role.OFFICER) and self.opener not in chosen:
                chosen.append(self.opener)
            cleaned["officers"] = chosen
        return cleaned


class ChangeReasonField(forms.CharField):
    """After 立案 every change of a case's facts says why (案件信息变更)."""

    def __init__(self, case: Case) -> None:
        from .changes import BEFORE_FILING

        filed = case.state not in BEFORE_FILING
        super().__init__(
            label=_("Reason for the change"),
            required=filed,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_(
                "The cause, the discovery date, how it was found and a party's identity "
                "change only with the section head's approval once the case is filed."
            )
            if filed
            else "",
        )


class PartyChangeForm(forms.ModelForm):
    """Correcting a party's particulars, with the reason (and approval after 立案)."""

    class Meta:
        model = Party
        fields = [
            "kind",
            "name",
            "id_type",
            "id_number",
            "legal_representative",
            "address",
            "contact",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"] = ChangeReasonField(self.instance.case)
        # Prefilled masked (个人信息保护法): the form shows no more than the case page; a
        # masked value sent back keeps what is stored, anything else replaces it.
        self._stored = {name: getattr(self.instance, name) for name, _m in self.masked}
        for name, masked in self.masked:
            self.initial[name] = masked
            self.fields[name].help_text = _(
                "Shown masked: leave it as it is to keep it, or type the whole new value."
            )

    @property
    def masked(self) -> list[tuple[str, str]]:
        return self.instance.masked_fields if self.instance.pk else []

    def _kept(self, name: str):
        value = self.cleaned_data.get(name)
        if self.instance.pk and value == self.initial.get(name) and "*" in (value or ""):
            return self._stored[name]
        return value

    def clean_id_number(self):
        return self._kept("id_number")

    def clean_address(self):
        return self._kept("address")

    def clean_contact(self):
        return self._kept("contact")


class ChangeDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = [
            "kind",
            "name",
            "id_type",
            "id_number",
            "legal_representative",
            "address",
            "contact",
        ]


PartyFormSet = inlineformset_factory(
    Case, Party, form=PartyForm, extra=1, can_delete=False, min_num=0, validate_min=False
)


class TransitionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason / remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    hearing_date = forms.DateField(label=_("Hearing date"), required=False, widget=DateInput())


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Officer"))
    lead = forms.BooleanField(required=False, label=_("Lead officer"))

    def __init__(self, *args, case: Case, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Those the service lets this user assign: the case's unit and below; the leader
        # in charge, the bureau.
        reach = case.org_unit.path
        if Role.LEADER in acting_roles(user, case):
            reach = case.org_unit.bureau().path
        self.fields["officer"].queryset = (
            User.objects.filter(
                role_grants__role=Role.OFFICER,
                is_active=True,
                org_unit__path__startswith=reach,
            )
            .exclude(case_assignments__case=case)
            .distinct()
        )
