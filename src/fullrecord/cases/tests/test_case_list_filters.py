"""The case list filters by stage, cause, unit, officer, party and date, and searches
by number, party and address; the page costs the same queries for 3 cases or 30."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fullrecord.accounts.choices import OrgUnitKind
from fullrecord.accounts.models import OrgUnit
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Cause
from fullrecord.core.testing.factories import PartyFactory

from .helpers import ready_case


@pytest.fixture
def cases(bureau):
    squad = OrgUnit.objects.create(
        name="一科一组", kind=OrgUnitKind.SECTION, code="QH1-1", parent=bureau.section1
    )
    mining = Cause.objects.get(code="illegal-mining")
    made = {
        "filed_s1": ready_case(bureau, CaseState.FILED),
        "review_squad": ready_case(bureau, CaseState.COLLECTIVE_DISCUSSION, unit=squad),
        "decided_s2": ready_case(
            bureau, CaseState.DECIDED, unit=bureau.section2, officers=[bureau.other_officer]
        ),
        "found_county": ready_case(
            bureau, CaseState.DISCOVERED, unit=bureau.county, party=False, officers=[]
        ),
    }
    made["review_squad"].cause = mining
    made["review_squad"].address = "连庄镇西杨庄砂场"
    made["review_squad"].discovered_on = date(2026, 2, 10)
    made["review_squad"].number = "QH-2026-0042"
    made["review_squad"].save()
    made["decided_s2"].discovered_on = date(2026, 5, 20)
    made["decided_s2"].save()
    PartyFactory(case=made["decided_s2"], name="清河县鑫源建材有限公司")
    made["filed_s1"].discovered_on = date(2026, 4, 1)
    made["filed_s1"].save()
    made["found_county"].discovered_on = date(2025, 12, 31)
    made["found_county"].save()
    made["squad"] = squad
    return made


@pytest.fixture
def search(bureau, client, cases):
    def run(query: str, user=None) -> set[str]:
        client.force_login(user or bureau.leader)
        response = client.get(f"/cases/?{query}")
        assert response.status_code == 200
        listed = set(response.context["page"].object_list)
        return {key for key, case in cases.items() if key != "squad" and case in listed}

    return run


def test_without_filters_the_leader_sees_all(search):
    assert search("") == {"filed_s1", "review_squad", "decided_s2", "found_county"}


def test_it_filters_by_stage(search):
    assert search("stage=review") == {"review_squad"}
    assert search("stage=decision") == {"decided_s2"}


def test_it_filters_by_state(search):
    assert search("state=filed") == {"filed_s1"}


def test_it_filters_by_cause(search):
    mining = Cause.objects.get(code="illegal-mining")

    assert search(f"cause={mining.pk}") == {"review_squad"}


def test_it_filters_by_unit_and_everything_below_it(bureau, search, cases):
    assert search(f"org_unit={bureau.section1.pk}") == {"filed_s1", "review_squad"}
    assert search(f"org_unit={cases['squad'].pk}") == {"review_squad"}
    assert search(f"org_unit={bureau.county.pk}") == {
        "filed_s1",
        "review_squad",
        "decided_s2",
        "found_county",
    }


def test_it_filters_by_officer(bureau, search):
    assert search(f"officer={bureau.other_officer.pk}") == {"decided_s2"}
    assert search(f"officer={bureau.officer.pk}") == {"filed_s1", "review_squad"}


def test_it_filters_by_party_name(search):
    assert search("party=鑫源") == {"decided_s2"}


def test_it_filters_by_discovery_date_range(search):
    assert search("discovered_from=2026-02-10&discovered_to=2026-04-01") == {
        "filed_s1",
        "review_squad",
    }
    assert search("discovered_to=2025-12-31") == {"found_county"}


def test_it_combines_filters(bureau, search):
    assert search(f"org_unit={bureau.section1.pk}&stage=filing") == {"filed_s1"}


def test_it_searches_by_case_number(search):
    assert search("q=2026-0042") == {"review_squad"}


def test_it_searches_by_party_name_and_id_number(search, cases):
    party = cases["filed_s1"].parties.get()

    assert search("q=鑫源建材") == {"decided_s2"}
    assert search(f"q={party.id_number.lower()}") == {"filed_s1"}


def test_it_searches_by_address(search):
    assert search("q=西杨庄") == {"review_squad"}


def test_a_search_lists_a_case_with_several_matching_parties_once(search, cases):
    PartyFactory(case=cases["decided_s2"], name="鑫源二号")

    assert search("q=鑫源") == {"decided_s2"}


def test_filters_never_widen_what_a_persona_sees(bureau, search):
    assert search("", user=bureau.other_officer) == {"decided_s2"}
    assert search(f"org_unit={bureau.section1.pk}", user=bureau.other_officer) == set()


@pytest.mark.parametrize(
    "query",
    [
        "stage=nonsense",
        "cause=abc",
        "cause=99999999999999999999",
        "org_unit=-1",
        "officer=abc",
        "discovered_from=yesterday",
        "overdue=maybe",
        "page=abc",
        "page=99999",
    ],
)
def test_bad_filter_values_do_not_break_the_page(bureau, client, cases, query):
    client.force_login(bureau.leader)

    assert client.get(f"/cases/?{query}").status_code == 200


@pytest.mark.parametrize("query", ["cause=abc", "discovered_from=yesterday", "stage=nonsense"])
def test_bad_filter_values_are_a_400_in_the_api(bureau, api_client, cases, query):
    api_client.force_authenticate(bureau.leader)

    assert api_client.get(f"/api/cases/?{query}").status_code == 400


def test_the_api_filters_like_the_page(bureau, api_client, cases):
    api_client.force_authenticate(bureau.leader)

    body = api_client.get("/api/cases/?q=西杨庄").json()

    assert [c["number"] for c in body["results"]] == ["QH-2026-0042"]


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url", "persona", "ceiling"),
    [
        ("/cases/", "head", 12),
        ("/cases/?q=当事人&stage=filing&overdue=false&org_unit={unit}", "head", 12),
        # The dashboard begins with the to-do queue: each provider (cases, access, devices
        # …) is a fixed few queries, whatever the number of cases.
        ("/dashboard/", "officer", 24),
        ("/dashboard/", "head", 27),
        ("/todo/", "leader", 23),  # + fixity failures: the bureau, then the items
        ("/api/todo/", "leader", 22),
        ("/api/cases/", "leader", 10),
        ("/api/cases/?q=当事人&overdue=true", "leader", 10),
    ],
)
def test_a_list_costs_the_same_queries_for_3_cases_or_30(
    bureau, client, django_assert_max_num_queries, url, persona, ceiling
):
    url = url.format(unit=bureau.section1.pk)
    client.force_login(getattr(bureau, persona))

    def add_cases(count):
        for index in range(count):
            case = ready_case(bureau, CaseState.FILED if index % 2 else CaseState.DISCOVERED)
            PartyFactory(case=case)

    add_cases(3)
    few = queries_for(client, url)
    add_cases(27)
    with django_assert_max_num_queries(ceiling):
        many = queries_for(client, url)

    assert many == few
