"""Every select says 请选择 (a form) or 全部 (a filter), never "---------" or 未知.

The project renders forms through its own templates (``FORM_RENDERER`` =
``TemplatesSetting``), whose option template names the empty choice; filters set
``FILTERS_EMPTY_CHOICE_LABEL``. The sweep below opens every page without arguments,
and the case pages, as the people who use them, so a new form of any app is covered.
"""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.urls import URLPattern, URLResolver, get_resolver

from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, Cause
from fullrecord.cases.tests.helpers import ready_case

DASHES = "---------"


class _Form(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["cause", "source"]


class _Filter(django_filters.FilterSet):
    cause = django_filters.ModelChoiceFilter(queryset=Cause.objects.all())
    overdue = django_filters.BooleanFilter()


@pytest.mark.django_db
def test_a_form_select_says_please_choose():
    html = str(_Form())

    assert DASHES not in html
    assert html.count("请选择") == 2


@pytest.mark.django_db
def test_a_filter_select_says_all():
    html = str(_Filter(queryset=Case.objects.none()).form)

    assert DASHES not in html and "未知" not in html
    assert html.count("全部") == 2


def _plain_pages(resolver=None, prefix="") -> list[str]:
    """Every page reachable without arguments (the API and admin aside)."""
    resolver = resolver or get_resolver()
    urls = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("api/", "admin/", "i18n/", "playback/")) or "<" in route:
            continue
        if isinstance(entry, URLResolver):
            urls += _plain_pages(entry, route)
        elif isinstance(entry, URLPattern) and "(" not in route and "^" not in route:
            urls.append("/" + route)
    return sorted(set(urls))


PERSONAS = ["officer", "head", "legal", "leader", "inspector", "archivist", "admin"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_dashes_or_unknown_in_a_select(bureau, client, persona):
    client.force_login(getattr(bureau, persona))
    case = ready_case(bureau, CaseState.INVESTIGATING)
    pages = _plain_pages() + [f"/cases/{case.pk}/", f"/cases/{case.pk}/edit/"]
    offenders = []
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        if DASHES in body or ">未知<" in body:
            offenders.append(url)
    assert not offenders, f"selects showing {DASHES!r} or 未知 on: {offenders}"
