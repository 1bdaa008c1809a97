"""Searching the audit log: the filters, keyset pages on ``seq`` and what a row shows.

The page, the API and both exports read the same filters through ``AuditFilterForm``,
always on top of ``access.visible_entries``. No query counts the whole table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fullrecord.audit.services import record
from fullrecord.cases.models import Case

from .labels import codes_named
from .models import AuditEntry, SignedTreeHead

MAX_SEQ = 2**63 - 1

# The kinds of object the filter offers, as ``object_type`` stores them (app.model).
OBJECT_TYPES = (
    "cases.case",
    "cases.party",
    "media.mediaitem",
    "accounts.user",
    "access.accessrequest",
)
OBJECT_LINKS = {"cases.case": "cases:detail", "media.mediaitem": "media:detail"}


def object_label(object_type: str) -> str:
    """The model's own name for an ``object_type`` (translated where the model is)."""
    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class DateInput(forms.DateInput):
    """The browser's date picker, which sends and expects ISO dates in any language."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    case = forms.CharField(
        label=_("Case"),
        max_length=100,
        required=False,
        help_text=_("Case number or id"),
    )
    object_type = forms.CharField(
        label=_("Object"),
        max_length=50,
        required=False,
        widget=forms.Select,
    )
    object_id = forms.CharField(label=_("Object id"), max_length=64, required=False)
    actor = forms.CharField(
        label=_("Who"), max_length=150, required=False, help_text=_("Username or id")
    )
    action = forms.CharField(
        label=_("Action"),
        max_length=50,
        required=False,
        help_text=_("A word of the action as shown in the table, e.g. played or sign-in"),
    )
    since = forms.DateField(label=_("Date from"), required=False, widget=DateInput)
    until = forms.DateField(label=_("Date to"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        known = [t for t in OBJECT_TYPES if object_label(t) != t]
        self.fields["object_type"].widget.choices = [
            ("", _("Any object")),
            *((t, object_label(t)) for t in known),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        if data.get("object_id") and not data.get("object_type"):
            self.add_error("object_type", _("Choose the kind of object the id belongs to."))
        return data

    def filters(self) -> dict[str, str]:
        """The filters in use, as text: recorded with each search and printed on exports."""
        return {
            name: str(value).strip()
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and str(value).strip()
        }

    def apply(self, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        data = self.cleaned_data
        if case := data.get("case", "").strip():
            condition = Q(case_id__in=Case.objects.filter(number=case).values("pk"))
            if case.isdigit() and int(case) <= MAX_SEQ:
                condition |= Q(case_id=int(case))
            queryset = queryset.filter(condition)
        if object_type := data.get("object_type", "").strip():
            queryset = queryset.filter(object_type=object_type)
            if object_id := data.get("object_id", "").strip():
                queryset = queryset.filter(object_id=object_id)
        if actor := data.get("actor", "").strip():
            condition = Q(actor__username=actor)
            if actor.isdigit() and int(actor) <= MAX_SEQ:
                condition |= Q(actor_id=int(actor))
            queryset = queryset.filter(condition)
        if action := data.get("action", "").strip():
            # The word people see in the table (播放, 案件信息变更 …) or the code's beginning.
            named = codes_named(action)
            condition = Q(action__startswith=action)
            if named:
                condition |= Q(action__in=named)
            queryset = queryset.filter(condition)
        if since := data.get("since"):
            queryset = queryset.filter(at__gte=_midnight(since))
        if until := data.get("until"):
            queryset = queryset.filter(at__lt=_midnight(until + timedelta(days=1)))
        return queryset


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def parse_before(value: str | None) -> int | None:
    """The keyset cursor: entries older (smaller ``seq``) than this one. ValueError if bad."""
    if value in (None, ""):
        return None
    number = int(value)
    if not 0 < number <= MAX_SEQ:
        raise ValueError(value)
    return number


@dataclass
class Page:
    items: list[AuditEntry]
    next_before: int | None


def page(queryset: QuerySet[AuditEntry], before: int | None, size: int) -> Page:
    """Newest first, ``size`` entries older than ``before``: two queries at any depth."""
    queryset = queryset.order_by("-seq")
    if before is not None:
        queryset = queryset.filter(seq__lt=before)
    rows = list(queryset.select_related("actor")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    describe(rows)
    return Page(rows, rows[-1].seq if more and rows else None)


def chunks(queryset: QuerySet[AuditEntry], size: int = 1000) -> Iterator[list[AuditEntry]]:
    """Every matching entry, newest first, ``size`` at a time (for the exports)."""
    before = None
    while True:
        batch = page(queryset, before, size)
        if batch.items:
            yield batch.items
        if batch.next_before is None:
            return
        before = batch.next_before


def describe(entries: list[AuditEntry]) -> None:
    """Give each entry what a row shows: its case number, object label and link."""
    case_ids = {entry.case_id for entry in entries if entry.case_id}
    numbers = (
        dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "number")) if case_ids else {}
    )
    labels = {t: object_label(t) for t in {entry.object_type for entry in entries} if t}
    for entry in entries:
        entry.case_number = numbers.get(entry.case_id, "")
        entry.object_label = labels.get(entry.object_type, "")
        entry.object_url = ""
        if entry.object_type in OBJECT_LINKS and entry.object_id.isdigit():
            entry.object_url = reverse(OBJECT_LINKS[entry.object_type], args=[entry.object_id])


def latest_tree_head() -> SignedTreeHead | None:
    return SignedTreeHead.objects.order_by("-tree_size").first()


def record_search(user, filters: dict[str, str], *, via: str, shown: int) -> None:
    """第十八条: reading the log is itself recorded."""
    record(
        "audit.search",
        actor=user,
        summary=gettext("Searched the audit log"),
        data={"filters": filters, "via": via, "shown": shown},
    )


def record_export(
    user, filters: dict[str, str], *, kind: str, head: SignedTreeHead | None
) -> AuditEntry:
    return record(
        "audit.export",
        actor=user,
        summary=gettext("Exported the audit log (%(kind)s)") % {"kind": kind.upper()},
        data={
            "filters": filters,
            "format": kind,
            "tree_size": head.tree_size if head else None,
            "root_hash": head.root_hash if head else None,
        },
    )
