"""The 送达 date picker offers only the days the server accepts: from the day the document
was issued (an earlier date is refused by ``record_service``) to today."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.cases.choices import CaseState
from fullrecord.documents.models import Document

from .helpers import issued, ready_case

pytestmark = pytest.mark.django_db


def picker(html: str) -> str:
    match = re.search(r'<input[^>]*name="served_on"[^>]*>', html)
    assert match, "the page has no service date field"
    return match.group(0)


def test_the_picker_starts_on_the_day_of_issue_and_ends_today(client, bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau)
    issued_at = timezone.now() - timedelta(days=3)
    Document.objects.filter(pk=document.pk).update(issued_at=issued_at)
    client.force_login(bureau.officer)

    field = picker(client.get(document.get_absolute_url()).content.decode())

    assert f'min="{timezone.localdate(issued_at).isoformat()}"' in field
    assert f'max="{timezone.localdate().isoformat()}"' in field


def test_a_date_before_the_issue_is_refused_by_the_server_too(client, bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau)
    client.force_login(bureau.officer)
    before = timezone.localdate(document.issued_at) - timedelta(days=1)

    response = client.post(
        f"/documents/{document.pk}/do/serve/",
        {"method": "public", "served_on": before.isoformat(), "recipient": "王某某"},
        follow=True,
    )

    assert not document.services.exists()
    assert "送达日期不能早于文书制发日期" in response.content.decode()
