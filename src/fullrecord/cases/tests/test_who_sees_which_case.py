"""Each persona sees exactly the cases in reach; the rest are 404, never 403.

"Missing" and "forbidden" answer the same, so case ids cannot be probed.
"""

from __future__ import annotations

import pytest

from fullrecord.cases.access import can, visible_cases
from fullrecord.cases.choices import CaseState

from .helpers import ready_case

# A: section one, officer and officer2; B: section two, other_officer;
# C: the county bureau itself, nobody assigned; D: the other county.
SEES = {
    "officer": {"A"},
    "officer2": {"A"},
    "other_officer": {"B"},
    "head": {"A"},
    "other_head": {"B"},
    "leader": {"A", "B", "C"},
    "legal": {"A", "B", "C"},
    "inspector": {"A", "B", "C"},
    "archivist": {"A", "B", "C"},
    "admin": set(),
    "outsider_leader": {"D"},
    "nobody": set(),
}
MAY_EDIT_A = {"officer", "officer2", "head", "leader"}
MAY_ASSIGN_ON_A = {"head", "leader"}


@pytest.fixture
def cases(bureau):
    return {
        "A": ready_case(bureau, CaseState.FILED),
        "B": ready_case(
            bureau, CaseState.FILED, unit=bureau.section2, officers=[bureau.other_officer]
        ),
        "C": ready_case(bureau, CaseState.DISCOVERED, unit=bureau.county, officers=[]),
        "D": ready_case(bureau, CaseState.DISCOVERED, unit=bureau.other_county, officers=[]),
    }


def names(cases, found) -> set[str]:
    return {key for key, case in cases.items() if case in set(found)}


@pytest.mark.parametrize("persona", SEES)
def test_the_case_list_shows_exactly_the_cases_in_reach(bureau, client, cases, persona):
    client.force_login(getattr(bureau, persona))

    response = client.get("/cases/")

    assert response.status_code == 200
    assert names(cases, response.context["page"].object_list) == SEES[persona]


@pytest.mark.parametrize("persona", SEES)
def test_the_api_lists_exactly_the_cases_in_reach(bureau, api_client, cases, persona):
    api_client.force_authenticate(getattr(bureau, persona))

    body = api_client.get("/api/cases/").json()

    numbers = {c["number"] for c in body["results"]}
    assert {k for k, case in cases.items() if case.number in numbers} == SEES[persona]
    assert body["count"] == len(SEES[persona])


@pytest.mark.parametrize("persona", SEES)
def test_a_case_out_of_reach_is_not_found_on_the_page_or_the_api(
    bureau, client, api_client, cases, persona
):
    user = getattr(bureau, persona)
    client.force_login(user)
    api_client.force_authenticate(user)

    for key, case in cases.items():
        expected = 200 if key in SEES[persona] else 404
        assert client.get(f"/cases/{case.pk}/").status_code == expected, (persona, key)
        for url in (
            f"/api/cases/{case.pk}/",
            f"/api/cases/{case.pk}/timeline/",
            f"/api/cases/{case.pk}/deadlines/",
            f"/api/cases/{case.pk}/transitions/",
        ):
            assert api_client.get(url).status_code == expected, (persona, key, url)


@pytest.mark.parametrize("persona", SEES)
def test_moves_on_a_case_out_of_reach_are_not_found(bureau, client, api_client, cases, persona):
    user = getattr(bureau, persona)
    client.force_login(user)
    api_client.force_authenticate(user)
    outside = [case for key, case in cases.items() if key not in SEES[persona]]

    for case in outside:
        assert client.post(f"/cases/{case.pk}/transitions/stop/").status_code == 404
        response = api_client.post(
            f"/api/cases/{case.pk}/transitions/", {"name": "stop"}, format="json"
        )
        assert response.status_code == 404
        assert (
            api_client.patch(f"/api/cases/{case.pk}/", {"address": "x"}, format="json").status_code
            == 404
        )
    for case in outside:
        case.refresh_from_db()
        assert case.state in (CaseState.FILED, CaseState.DISCOVERED)


def test_visible_cases_agrees_with_can_view(bureau, cases):
    for persona, user in bureau.all().items():
        for case in cases.values():
            assert (case in visible_cases(user)) == can(user, "view", case), (persona, case)


@pytest.mark.parametrize("persona", SEES)
def test_only_officers_heads_and_leaders_may_edit_and_only_heads_and_leaders_assign(
    bureau, client, cases, persona
):
    client.force_login(getattr(bureau, persona))
    case = cases["A"]

    edit = client.get(f"/cases/{case.pk}/edit/").status_code
    assign = client.post(f"/cases/{case.pk}/officers/", {"officer": bureau.head.pk}).status_code

    assert edit == (200 if persona in MAY_EDIT_A else 404)
    assert assign == (302 if persona in MAY_ASSIGN_ON_A else 404)
    assert case.assignments.filter(officer=bureau.head).exists() == (persona in MAY_ASSIGN_ON_A)


def test_an_officer_off_the_case_no_longer_sees_it(bureau, client, cases):
    case = cases["A"]
    case.assignments.filter(officer=bureau.officer2).delete()
    client.force_login(bureau.officer2)

    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_an_inactive_user_sees_nothing(bureau, cases):
    bureau.leader.is_active = False
    bureau.leader.save()

    assert not visible_cases(bureau.leader).exists()


# ---------------------------------------------------------------- malformed and unknown ids


PAGE_URLS = [
    "/cases/999999/",
    "/cases/99999999999999999999/",
    "/cases/abc/",
    "/cases/999999/edit/",
    "/cases/99999999999999999999/edit/",
]
API_URLS = [
    "/api/cases/999999/",
    "/api/cases/abc/",
    "/api/cases/99999999999999999999/",
    "/api/cases/-1/",
    "/api/cases/1e3/",
    "/api/cases/%20/",
    "/api/cases/99999999999999999999/timeline/",
    "/api/cases/abc/deadlines/",
    "/api/cases/abc/transitions/",
    "/api/causes/abc/",
    "/api/causes/99999999999999999999/",
    "/api/org-units/abc/",
    "/api/org-units/99999999999999999999/",
    "/api/time-limits/abc/",
]


@pytest.mark.parametrize("url", PAGE_URLS)
def test_an_unknown_or_malformed_case_id_on_a_page_is_404(bureau, client, url):
    client.force_login(bureau.leader)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", API_URLS)
def test_an_unknown_or_malformed_id_in_the_api_is_404(bureau, api_client, url):
    api_client.force_authenticate(bureau.leader)

    assert api_client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/cases/99999999999999999999/transitions/stop/",
        "/cases/99999999999999999999/officers/",
        "/cases/99999999999999999999/parties/",
        "/cases/{pk}/officers/99999999999999999999/remove/",
        "/cases/{pk}/parties/99999999999999999999/remove/",
    ],
)
def test_an_unknown_id_in_a_form_post_is_404(bureau, client, cases, url):
    client.force_login(bureau.leader)

    assert client.post(url.format(pk=cases["A"].pk)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/cases/99999999999999999999/transitions/",
        "/api/cases/abc/parties/",
        "/api/cases/99999999999999999999/officers/",
    ],
)
def test_an_unknown_id_in_an_api_post_is_404(bureau, api_client, url):
    api_client.force_authenticate(bureau.leader)

    assert api_client.post(url, {"name": "stop"}, format="json").status_code == 404


def test_removing_an_unknown_officer_through_the_api_is_404(bureau, api_client, cases):
    api_client.force_authenticate(bureau.leader)

    url = f"/api/cases/{cases['A'].pk}/officers/99999999999999999999/"
    assert api_client.delete(url).status_code == 404


def test_the_pages_ask_anonymous_visitors_to_sign_in(client, cases):
    response = client.get(f"/cases/{cases['A'].pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_api_refuses_anonymous_callers(api_client, cases):
    assert api_client.get("/api/cases/").status_code == 401
    assert api_client.get(f"/api/cases/{cases['A'].pk}/").status_code == 401
