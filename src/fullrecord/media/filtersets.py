"""The six classification fields of 第十五条, filterable alone and combined."""

from __future__ import annotations

import django_filters
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fullrecord.accounts.models import OrgUnit, User
from fullrecord.cases.models import Cause

from .choices import FixityStatus, MediaKind, ProbeStatus
from .models import MediaItem


class MediaFilterSet(django_filters.FilterSet):
    org_unit = django_filters.ModelChoiceFilter(queryset=OrgUnit.objects.all(), label=_("Section"))
    device_number = django_filters.CharFilter(label=_("Device number"))
    officer = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label=_("Officer"))
    used_from = django_filters.IsoDateTimeFilter(
        field_name="used_at", lookup_expr="gte", label=_("Used from")
    )
    used_to = django_filters.IsoDateTimeFilter(
        field_name="used_at", lookup_expr="lt", label=_("Used before")
    )
    party = django_filters.CharFilter(method="filter_party", label=_("Case party"))
    cause = django_filters.ModelChoiceFilter(queryset=Cause.objects.all(), label=_("Case cause"))
    kind = django_filters.ChoiceFilter(choices=MediaKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=ProbeStatus.choices, label=_("Playback"))
    sha256 = django_filters.CharFilter(method="filter_sha256", label=_("SHA-256"))
    case = django_filters.NumberFilter(field_name="case_links__case", label=_("Case"))
    interrupted = django_filters.BooleanFilter(label=_("Interruption before"))
    unlinked = django_filters.BooleanFilter(label=_("Linked to no case or task"))
    fixity = django_filters.ChoiceFilter(choices=FixityStatus.choices, label=_("Fixity"))
    fixity_failed = django_filters.BooleanFilter(
        method="filter_fixity_failed", label=_("Fixity failed")
    )

    class Meta:
        model = MediaItem
        fields = [
            "org_unit",
            "device_number",
            "officer",
            "used_from",
            "used_to",
            "party",
            "cause",
            "kind",
            "status",
            "sha256",
            "case",
            "interrupted",
            "unlinked",
            "fixity",
            "fixity_failed",
        ]

    def filter_fixity_failed(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        failed = [FixityStatus.ALTERED, FixityStatus.MISSING]
        if value is None:
            return queryset
        return queryset.filter(fixity__in=failed) if value else queryset.exclude(fixity__in=failed)

    def filter_sha256(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sha256=value.strip().lower())

    def filter_party(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Parties whose name starts with ``value``, through the media_party index.

        On SQLite LIKE 'x%' never uses an index (its LIKE folds ASCII case), so the prefix
        is also given as the range [value, value with its last character incremented),
        which holds exactly the strings starting with it in SQLite's code-point order.
        PostgreSQL uses the index's varchar_pattern_ops for LIKE itself.
        """
        value = value.strip()
        if not value:
            return queryset
        queryset = queryset.filter(party_name__startswith=value)
        if connections[queryset.db].vendor == "sqlite" and ord(value[-1]) < 0x10FFFF:
            upper = value[:-1] + chr(ord(value[-1]) + 1)
            queryset = queryset.filter(party_name__gte=value, party_name__lt=upper)
        return queryset
