"""Audit search by case (id or number), object, person, action prefix and dates; page and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry

from .logbook import write_logbook


@pytest.fixture
def book(bureau):
    return write_logbook(bureau)


def api_names(api_client, book, user, **params) -> set[str]:
    api_client.force_authenticate(user)
    response = api_client.get("/api/audit/entries/", params)
    assert response.status_code == 200, response.content
    seqs = {row["seq"] for row in response.json()["results"]}
    return {name for name, entry in book.entries.items() if entry.seq in seqs}


def test_by_case_id(api_client, bureau, book):
    names = api_names(api_client, book, bureau.leader, case=book.case1.pk)

    assert names == {"officer_case1", "officer2_case1", "legal_case1"}


def test_by_case_number(api_client, bureau, book):
    names = api_names(api_client, book, bureau.leader, case="QH2-2026-001")

    assert names == {"other_officer_case2", "leader_case2"}


def test_by_object_a_media_item(api_client, bureau, book):
    names = api_names(
        api_client, book, bureau.leader, object_type="media.mediaitem", object_id=book.item2.pk
    )

    assert names == {"other_officer_item2", "leader_item2"}


def test_by_object_type_alone(api_client, bureau, book):
    names = api_names(api_client, book, bureau.leader, object_type="accounts.user")

    assert names == {"failed_officer"}


def test_by_actor_username_or_id(api_client, bureau, book):
    by_name = api_names(api_client, book, bureau.leader, actor="other_officer")
    by_id = api_names(api_client, book, bureau.leader, actor=bureau.other_officer.pk)

    assert by_name == by_id == {"other_officer_case2", "other_officer_item2"}


def test_by_action_prefix(api_client, bureau, book):
    names = api_names(api_client, book, bureau.leader, action="media.")

    assert names == {"officer_item1", "other_officer_item2", "leader_item2"}


def test_filters_combine(api_client, bureau, book):
    names = api_names(api_client, book, bureau.leader, action="media.", actor="leader")

    assert names == {"leader_item2"}


def test_by_date_range_in_local_days(api_client, bureau, book):
    today = timezone.localdate()

    assert "officer_case1" in api_names(
        api_client, book, bureau.leader, since=today.isoformat(), until=today.isoformat()
    )
    assert not api_names(
        api_client, book, bureau.leader, since=(today + timedelta(days=1)).isoformat()
    )
    assert not api_names(
        api_client, book, bureau.leader, until=(today - timedelta(days=1)).isoformat()
    )


def test_filters_never_widen_what_the_user_may_read(api_client, bureau, book):
    """An officer asking for another's case gets nothing, not that case's entries."""
    assert not api_names(api_client, book, bureau.officer, case="QH2-2026-001")
    assert not api_names(api_client, book, bureau.officer, actor="leader")


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2026-02-30"},
        {"since": "2026-03-02", "until": "2026-03-01"},
        {"object_id": "5"},
        {"limit": "many"},
        {"before": "-1"},
        {"action": "x" * 51},
    ],
)
def test_a_bad_filter_is_a_400(api_client, bureau, book, params):
    api_client.force_authenticate(bureau.leader)

    assert api_client.get("/api/audit/entries/", params).status_code == 400


def test_the_page_filters_the_same_way(client, bureau, book):
    client.force_login(bureau.leader)

    body = client.get("/audit/", {"case": "QH1-2026-001"}).content.decode()

    assert "编辑案件 QH1-2026-001" in body
    assert "other_officer_case2" not in body


def test_the_page_shows_a_bad_filter_and_no_rows(client, bureau, book):
    client.force_login(bureau.leader)

    response = client.get("/audit/", {"since": "2026-03-02", "until": "2026-03-01"})

    assert response.status_code == 200
    assert response.context["page"].items == []
    assert response.context["form"].errors


def test_an_htmx_request_gets_only_the_rows_and_export_buttons(client, bureau, book):
    client.force_login(bureau.leader)

    body = client.get("/audit/", {"action": "media."}, HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in body
    assert 'href="/audit/export.csv?action=media.' in body


def test_entries_are_listed_newest_first(api_client, bureau, book):
    api_client.force_authenticate(bureau.admin)

    seqs = [row["seq"] for row in api_client.get("/api/audit/entries/").json()["results"]]

    assert seqs == sorted(seqs, reverse=True)
    assert seqs[0] == AuditEntry.objects.filter(action="account.login_failed").last().seq
