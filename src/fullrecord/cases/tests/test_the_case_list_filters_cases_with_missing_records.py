"""The case list's "records" filter (记录不全 / 记录齐全 / 待核查) reads the stored summary:
one query per page, however many cases it shows; the page and the API filter alike."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fullrecord.cases.choices import CaseState

from .helpers import ready_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(bureau, records):
    gap = ready_case(bureau, CaseState.STOPPED)
    records.add(gap, "stopping", "audiovisual", "footage")  # still lacks two written records
    whole = ready_case(bureau, CaseState.STOPPED)
    records.complete(whole, "discovery", "stopping")
    unchecked = ready_case(bureau, CaseState.STOPPED)  # made before the check existed
    return {"gap": gap, "whole": whole, "unchecked": unchecked}


def numbers(response) -> set[str]:
    return {c["number"] for c in response.json()["results"]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("missing", {"gap"}), ("complete", {"whole"}), ("unchecked", {"unchecked"})],
)
def test_the_api_filters_by_the_state_of_the_record(bureau, cases, api_client, value, expected):
    api_client.force_authenticate(bureau.head)

    response = api_client.get("/api/cases/", {"completeness": value})

    assert numbers(response) == {cases[name].number for name in expected}


def test_the_list_page_filters_and_shows_a_badge_per_case(bureau, cases, client):
    client.force_login(bureau.head)

    page = client.get("/cases/", {"completeness": "missing"}).content.decode()

    assert cases["gap"].number in page
    assert cases["whole"].number not in page and cases["unchecked"].number not in page
    assert f'data-testid="completeness-{cases["gap"].pk}"' in page
    assert "2 records missing" in page or "缺 2 项记录" in page


def test_the_filter_is_offered_in_the_users_language(bureau, client):
    client.force_login(bureau.head)

    page = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "记录不全" in page and "待核查" in page


def test_an_unknown_value_is_refused_with_a_message_not_a_500(bureau, api_client):
    api_client.force_authenticate(bureau.head)

    response = api_client.get("/api/cases/", {"completeness": "sideways"})

    assert response.status_code == 400
    assert "completeness" in response.json()


def test_the_page_costs_the_same_queries_for_three_cases_or_fifteen(bureau, records, client):
    client.force_login(bureau.head)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/", {"completeness": "missing"}).status_code == 200
        return len(ctx)

    for _ in range(3):
        ready_case(bureau, CaseState.STOPPED).refresh_from_db()
    from fullrecord.cases import completeness
    from fullrecord.cases.models import Case

    for case in Case.objects.all():
        completeness.refresh(case)
    few = queries()
    for _ in range(12):
        completeness.refresh(ready_case(bureau, CaseState.STOPPED))
    assert queries() == few
