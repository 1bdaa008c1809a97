"""Case list filters, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.security import sm4

from .choices import CaseState, CompletenessFilter, DiscoverySource, Stage, states_of_stage
from .deadlines import open_limits
from .models import Case, Cause


class CaseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), help_text=_("Case number, party or address")
    )
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices, method="filter_stage", label=_("Stage")
    )
    state = django_filters.ChoiceFilter(choices=CaseState.choices, label=_("State"))
    cause = django_filters.ModelChoiceFilter(queryset=Cause.objects.all(), label=_("Cause"))
    source = django_filters.ChoiceFilter(
        choices=DiscoverySource.choices, label=_("How it was found")
    )
    org_unit = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_org_unit", label=_("Unit")
    )
    officer = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role_grants__role=Role.OFFICER).distinct(),
        field_name="assignments__officer",
        label=_("Officer"),
    )
    party = django_filters.CharFilter(method="filter_party", label=_("Party"))
    discovered_from = django_filters.DateFilter(
        field_name="discovered_on", lookup_expr="gte", label=_("Discovered from")
    )
    discovered_to = django_filters.DateFilter(
        field_name="discovered_on", lookup_expr="lte", label=_("Discovered to")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    completeness = django_filters.ChoiceFilter(
        choices=CompletenessFilter.choices,
        method="filter_completeness",
        label=_("Records"),
        help_text=_("第十一条: stages reached that lack a required record"),
    )

    class Meta:
        model = Case
        fields = [
            "q",
            "stage",
            "state",
            "cause",
            "source",
            "org_unit",
            "officer",
            "party",
            "discovered_from",
            "discovered_to",
            "overdue",
            "completeness",
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(address__icontains=value)
            | Q(parties__name__icontains=value)
            | Q(parties__id_number_index__in=sm4.blind_indexes(value))
        ).distinct()

    def filter_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(state__in=states_of_stage(value))

    def filter_org_unit(self, queryset: QuerySet, name: str, value: OrgUnit) -> QuerySet:
        return queryset.filter(org_unit__path__startswith=value.path)

    def filter_party(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(parties__name__icontains=value.strip()).distinct()

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = open_limits().filter(case=OuterRef("pk"), due_on__lt=timezone.localdate())
        return queryset.filter(Exists(late)) if value else queryset.exclude(Exists(late))

    def filter_completeness(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Each choice is the condition of a partial index (see Case.Meta.indexes), so
        # the page and its count read that index, not the table.
        if value == CompletenessFilter.MISSING:
            return queryset.filter(completeness_missing__gt=0)
        if value == CompletenessFilter.UNCHECKED:
            return queryset.filter(completeness_checked_at__isnull=True)
        if value == CompletenessFilter.COMPLETE:
            return queryset.filter(completeness_missing=0, completeness_checked_at__isnull=False)
        return queryset
