"""Forms of the inspection team's pages; the rules live in services.py."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fullrecord.accounts.choices import OrgUnitKind, Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.choices import Stage
from fullrecord.cases.forms import DateInput
from fullrecord.cases.models import Cause

from .choices import CaseStrata, FootageStrata, SampleKind
from .models import RubricItem

MEDIA_KIND_CHOICES = [
    ("video", _("Video")),
    ("audio", _("Audio")),
    ("photo", _("Photo")),
]


def _units(bureau: OrgUnit):
    return OrgUnit.objects.filter(path__startswith=bureau.path).exclude(
        kind__in=[OrgUnitKind.CITY_BUREAU, OrgUnitKind.COUNTY_BUREAU]
    )


def _people(bureau: OrgUnit):
    return User.objects.filter(
        is_active=True, org_unit__path__startswith=bureau.path, role_grants__role=Role.OFFICER
    ).distinct()


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    sections = forms.ModelMultipleChoiceField(
        label=_("Sections"),
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every section of the bureau."),
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every officer."),
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("Case types"),
        queryset=Cause.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every cause."),
    )
    stages = forms.MultipleChoiceField(
        label=_("Case stages"),
        choices=[(s.value, s.label) for s in Stage],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every stage."),
    )
    media_kinds = forms.MultipleChoiceField(
        label=_("Kinds of footage"),
        choices=MEDIA_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: video and audio."),
    )
    device_numbers = forms.CharField(
        label=_("Footage sources (device numbers)"),
        required=False,
        help_text=_(
            "Body cameras and fixed cameras by number, separated by commas; empty: every device."
        ),
    )
    case_strata = forms.ChoiceField(
        label=_("Case files stratified"),
        choices=CaseStrata.choices,
        initial=CaseStrata.SECTION,
        required=False,
        widget=forms.RadioSelect,
    )
    footage_strata = forms.ChoiceField(
        label=_("Footage stratified"),
        choices=FootageStrata.choices,
        initial=FootageStrata.SECTION,
        required=False,
        widget=forms.RadioSelect,
    )
    cases_per_stratum = forms.IntegerField(
        label=_("Case files per stratum not listed"),
        min_value=0,
        max_value=10000,
        initial=3,
        help_text=_("Every stratum left empty in the table below takes this many."),
    )
    footage_per_stratum = forms.IntegerField(
        label=_("Footage items per stratum not listed"),
        min_value=0,
        max_value=10000,
        initial=3,
        help_text=_("Every stratum left empty in the table below takes this many."),
    )

    # The size table: one number field per stratum of each way of stratifying; only the
    # rows of the way chosen count. Field names: size__<kind>__<by>__<n>.
    SIZE_FIELDS = ("case_strata", "footage_strata", "cases_per_stratum", "footage_per_stratum")

    def __init__(self, *args, bureau: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = _units(bureau)
        self.fields["officers"].queryset = _people(bureau)
        self.fields["causes"].queryset = Cause.objects.filter(active=True)
        if not self.is_bound and "period_start" not in self.initial:
            today = timezone.localdate()
            self.initial.update({"period_start": today - timedelta(days=90), "period_end": today})
        sections = [(str(u.pk), str(u)) for u in _units(bureau)]
        from .wiring import device_numbers

        self.strata = {
            ("case", CaseStrata.SECTION.value): sections,
            ("case", CaseStrata.CAUSE.value): [
                (str(c.pk), str(c)) for c in Cause.objects.filter(active=True)
            ],
            ("footage", FootageStrata.SECTION.value): sections,
            ("footage", FootageStrata.SOURCE.value): [
                (n, n) for n in device_numbers(bureau, self.initial.get("stratum_sizes"))
            ],
        }
        table = self.initial.get("stratum_sizes") or {}
        chosen = {
            "case": self.initial.get("case_strata", CaseStrata.SECTION),
            "footage": self.initial.get("footage_strata", FootageStrata.SECTION),
        }
        self.size_rows = []
        for (kind, by), strata in self.strata.items():
            for n, (stratum, label) in enumerate(strata):
                name = f"size__{kind}__{by}__{n}"
                self.fields[name] = forms.IntegerField(
                    label=label, min_value=0, max_value=10000, required=False
                )
                if chosen[kind] == by and stratum in (table.get(kind) or {}):
                    self.initial[name] = table[kind][stratum]
                self.size_rows.append((kind, by, stratum, name))

    def __iter__(self):
        # The size fields are drawn as a table of their own (size_tables), not one by one.
        return (self[name] for name in self.fields if not name.startswith("size__"))

    def size_tables(self) -> list[dict]:
        """The table the template draws: per kind and way of stratifying, its rows."""
        labels = {
            **{("case", v): label for v, label in CaseStrata.choices},
            **{("footage", v): label for v, label in FootageStrata.choices},
        }
        kinds = dict(SampleKind.choices)
        tables = []
        for (kind, by), _strata in self.strata.items():
            rows = [self[name] for k, b, _s, name in self.size_rows if (k, b) == (kind, by)]
            tables.append(
                {
                    "kind": kind,
                    "by": by,
                    "title": f"{kinds[kind]} · {labels[(kind, by)]}",
                    "rows": rows,
                }
            )
        return tables

    def clean_device_numbers(self) -> list[str]:
        text = self.cleaned_data.get("device_numbers") or ""
        return sorted({p.strip() for p in text.replace("，", ",").split(",") if p.strip()})

    def clean(self):
        data = super().clean()
        start: date | None = data.get("period_start")
        end: date | None = data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", _("The period must end after it starts."))
        data["case_strata"] = data.get("case_strata") or CaseStrata.SECTION
        data["footage_strata"] = data.get("footage_strata") or FootageStrata.SECTION
        chosen = {"case": data["case_strata"], "footage": data["footage_strata"]}
        table: dict[str, dict[str, int]] = {"case": {}, "footage": {}}
        for kind, by, stratum, name in self.size_rows:
            value = data.pop(name, None)
            if chosen[kind] == by and value is not None:
                table[kind][stratum] = value
        data["stratum_sizes"] = table
        return data


class DrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why draw again"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required of the leader in charge once reviews have started."),
    )


class RubricItemForm(forms.ModelForm):
    class Meta:
        model = RubricItem
        fields = [
            "kind",
            "label",
            "guidance",
            "max_score",
            "is_check",
            "machine_check",
            "order",
            "active",
        ]


class MarkForm(forms.Form):
    at_seconds = forms.FloatField(label=_("At (seconds)"), min_value=0)
    note = forms.CharField(label=_("What happens here"), max_length=300)


class RectificationForm(forms.Form):
    finding = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(
        label=_("What must be corrected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    assignee = forms.ModelChoiceField(
        label=_("Assign to an officer"), queryset=User.objects.none(), required=False
    )
    assignee_unit = forms.ModelChoiceField(
        label=_("or to a section"), queryset=OrgUnit.objects.none(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def __init__(self, *args, bureau: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _people(bureau)
        self.fields["assignee_unit"].queryset = _units(bureau)
        if not self.is_bound and "deadline" not in self.initial:
            self.initial["deadline"] = timezone.localdate() + timedelta(days=15)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("What was corrected"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=_("Evidence (audiovisual record numbers)"),
        required=False,
        help_text=_("Numbers of records in the system, separated by commas."),
    )
    evidence_note = forms.CharField(
        label=_("Other evidence"),
        required=False,
        max_length=500,
        help_text=_("E.g. the number of a corrected document."),
    )

    def clean_evidence(self) -> list[int]:
        text = self.cleaned_data.get("evidence") or ""
        parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
        if any(not p.isdigit() or len(p) > 12 for p in parts):
            raise forms.ValidationError(_("Give record numbers, separated by commas."))
        return [int(p) for p in parts]


class JudgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(
        label=_("New deadline (when reopening)"),
        required=False,
        widget=DateInput(),
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=DateInput(),
    )
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    group = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("section", _("Section")), ("officer", _("Officer")), ("month", _("Month"))],
    )

    def period(self) -> tuple[date, date, str]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or (end - timedelta(days=365)).replace(day=1)
        if start > end:
            start, end = end, start
        return start, end, data.get("group") or "section"


class FindingsForm(PeriodForm):
    """The findings' filter: a period and, optionally, one kind (page and API alike)."""

    kind = forms.ChoiceField(label=_("Kind of finding"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from . import findings

        super().__init__(*args, **kwargs)
        del self.fields["group"]
        self.fields["kind"].choices = [("", _("Every kind")), *findings.kinds()]

    def chosen_kind(self) -> str:
        return (self.cleaned_data.get("kind") if self.is_valid() else "") or ""


KIND_CHOICES = SampleKind.choices
