"""The case API: open a case with parties and officers, see and make moves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, Cause, Party
from fullrecord.cases.validators import compute_credit_code_check
from fullrecord.core.testing.factories import UserFactory, resident_id

from .helpers import ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


def credit_code(body: str = "91130524MA0AB1CD2") -> str:
    return body + compute_credit_code_check(body)


def case_payload(bureau, **overrides) -> dict:
    payload = {
        "cause": Cause.objects.get(code="illegal-occupation").pk,
        "source": "patrol",
        "org_unit": bureau.section1.pk,
        "address": "清河县城关镇东关村北侧",
        "summary": "未经批准占用耕地建设厂房",
        "parties": [
            {
                "kind": "person",
                "name": "王某某",
                "id_type": "resident_id",
                "id_number": resident_id(7),
                "address": "清河县城关镇",
                "contact": "13803190000",
            },
            {
                "kind": "organisation",
                "name": "清河县鑫源建材有限公司",
                "id_type": "credit_code",
                "id_number": credit_code(),
                "legal_representative": "李某",
            },
        ],
        "officer_ids": [],
    }
    payload.update(overrides)
    return payload


def post_case(api_client, user, payload):
    api_client.force_authenticate(user)
    return api_client.post("/api/cases/", payload, format="json")


def test_an_officer_opens_a_case_with_parties_and_is_assigned_to_it(bureau, api_client):
    response = post_case(api_client, bureau.officer, case_payload(bureau))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == f"QH-{timezone.localdate().year}-0001"
    assert (body["state"], body["stage"]) == ("discovered", "discovery")
    assert [o["username"] for o in body["officers"]] == ["officer"]
    assert [p["name"] for p in body["parties"]] == ["王某某", "清河县鑫源建材有限公司"]
    case = Case.objects.get(pk=body["id"])
    assert case.assignments.get(is_lead=True).officer == bureau.officer
    assert AuditEntry.objects.filter(action="case.create", case_id=case.pk).count() == 1


def test_a_section_head_opens_a_case_for_two_officers(bureau, api_client):
    payload = case_payload(bureau, officer_ids=[bureau.officer.pk, bureau.officer2.pk])

    response = post_case(api_client, bureau.head, payload)

    assert response.status_code == 201, response.json()
    # The head holds the officer role too, so opening the case assigns them as well.
    assert [o["username"] for o in response.json()["officers"]] == ["head", "officer", "officer2"]


def test_an_officer_named_twice_is_assigned_once(bureau, api_client):
    payload = case_payload(bureau, officer_ids=[bureau.officer2.pk, bureau.officer2.pk])

    response = post_case(api_client, bureau.head, payload)

    assert response.status_code == 201, response.json()
    assert [o["username"] for o in response.json()["officers"]] == ["head", "officer2"]


def test_case_numbers_count_up_per_bureau_and_year(bureau, api_client):
    first = post_case(api_client, bureau.officer, case_payload(bureau)).json()["number"]
    second = post_case(api_client, bureau.officer, case_payload(bureau)).json()["number"]

    assert (first[-4:], second[-4:]) == ("0001", "0002")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"address": ""}, "address"),
        ({"source": "rumour"}, "source"),
        ({"cause": 999999}, "cause"),
        ({"latitude": "91"}, "latitude"),
        ({"parties": [{"kind": "person", "name": "王某", "id_type": "resident_id"}]}, "parties"),
    ],
)
def test_it_refuses_an_incomplete_case_field_by_field(bureau, api_client, change, field):
    response = post_case(api_client, bureau.officer, case_payload(bureau, **change))

    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_it_refuses_a_party_with_a_wrong_id_and_keeps_nothing(bureau, api_client):
    payload = case_payload(bureau)
    payload["parties"][0]["id_number"] = resident_id(7)[:-1] + "0"

    response = post_case(api_client, bureau.officer, payload)

    assert response.status_code == 400
    assert "id_number" in response.json()
    assert not Case.objects.exists()
    assert not Party.objects.exists()
    assert not AuditEntry.objects.filter(action="case.create").exists()


def test_it_refuses_a_discovery_date_in_the_future(bureau, api_client):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = post_case(
        api_client, bureau.officer, case_payload(bureau, discovered_on=tomorrow.isoformat())
    )

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_it_refuses_a_cause_no_longer_in_use(bureau, api_client):
    Cause.objects.filter(code="illegal-occupation").update(active=False)

    response = post_case(api_client, bureau.officer, case_payload(bureau))

    assert response.status_code == 400
    assert "cause" in response.json()


def test_it_refuses_a_case_for_another_county(bureau, api_client):
    response = post_case(
        api_client, bureau.leader, case_payload(bureau, org_unit=bureau.other_county.pk)
    )

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_it_refuses_to_assign_an_officer_of_another_county(bureau, api_client):
    stranger = UserFactory(org_unit=bureau.other_county, roles=["officer"], certificate_number="X1")

    response = post_case(
        api_client, bureau.officer, case_payload(bureau, officer_ids=[stranger.pk])
    )

    assert response.status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["inspector", "archivist", "legal", "admin", "nobody"])
def test_only_officers_heads_and_leaders_open_cases(bureau, api_client, persona):
    response = post_case(api_client, getattr(bureau, persona), case_payload(bureau))

    assert response.status_code in (400, 403)
    assert not Case.objects.exists()


# ---------------------------------------------------------------- editing


def test_a_patch_cannot_move_the_case(bureau, api_client):
    case = ready_case(bureau, CaseState.FILED)
    api_client.force_authenticate(bureau.officer)

    response = api_client.patch(
        f"/api/cases/{case.pk}/",
        {"state": "archived", "number": "X", "address": "新地址", "reason": "门牌号写错"},
        format="json",
    )

    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.state, case.address) == (CaseState.FILED, "新地址")
    assert case.number != "X"
    assert AuditEntry.objects.filter(action="case.edit", case_id=case.pk).exists()


def test_a_party_is_added_through_the_api_and_checked(bureau, api_client):
    case = ready_case(bureau, CaseState.DISCOVERED, party=False)
    api_client.force_authenticate(bureau.officer)
    url = f"/api/cases/{case.pk}/parties/"
    person = {
        "kind": "person",
        "name": "赵某",
        "id_type": "credit_code",
        "id_number": credit_code(),
    }

    refused = api_client.post(url, person, format="json")
    added = api_client.post(
        url, {**person, "id_type": "resident_id", "id_number": resident_id(3)}, format="json"
    )

    assert refused.status_code == 400
    assert "id_type" in refused.json()
    assert added.status_code == 201
    assert [p.name for p in case.parties.all()] == ["赵某"]


def test_a_head_assigns_an_officer_through_the_api(bureau, api_client):
    case = ready_case(bureau, CaseState.FILED)
    stranger = UserFactory(org_unit=bureau.other_county, roles=["officer"], certificate_number="X1")
    api_client.force_authenticate(bureau.head)
    url = f"/api/cases/{case.pk}/officers/"

    third = UserFactory(org_unit=bureau.section1, roles=["officer"], certificate_number="X2")

    assert api_client.post(url, {"officer": third.pk}).status_code == 201
    assert api_client.post(url, {"officer": third.pk}).status_code == 400
    assert api_client.post(url, {"officer": stranger.pk}).status_code == 400
    assert set(case.officers.values_list("username", flat=True)) == {
        "officer",
        "officer2",
        third.username,
    }


def test_an_officer_cannot_assign_officers(bureau, api_client):
    case = ready_case(bureau, CaseState.FILED)
    api_client.force_authenticate(bureau.officer)

    response = api_client.post(f"/api/cases/{case.pk}/officers/", {"officer": bureau.head.pk})

    assert response.status_code == 404


def test_the_last_two_officers_cannot_be_removed_from_an_investigation(bureau, api_client):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    api_client.force_authenticate(bureau.head)

    response = api_client.delete(f"/api/cases/{case.pk}/officers/{bureau.officer2.pk}/")

    assert response.status_code == 400
    assert case.officers.count() == 2


# ---------------------------------------------------------------- moves


def test_get_transitions_lists_the_moves_and_what_blocks_them(bureau, api_client):
    case = ready_case(bureau, CaseState.STOPPED, party=False)
    api_client.force_authenticate(bureau.head)

    options = {o["name"]: o for o in api_client.get(f"/api/cases/{case.pk}/transitions/").json()}

    assert set(options) == {"file", "not_file", "transfer"}
    assert options["file"]["allowed"] is False
    assert options["file"]["blockers"] == [
        gettext("Record at least one party (当事人) before filing.")
    ]
    assert options["file"]["target"] == "filed"
    assert options["not_file"]["allowed"] is True
    assert options["not_file"]["reason_required"] is True


def test_get_transitions_offers_a_hearing_with_its_date_field(bureau, api_client):
    case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
    api_client.force_authenticate(bureau.officer)

    options = {o["name"]: o for o in api_client.get(f"/api/cases/{case.pk}/transitions/").json()}

    assert options["request_hearing"]["allowed"] is True
    assert options["request_hearing"]["fields"] == ["hearing_date"]


def test_get_transitions_offers_nothing_to_someone_without_a_role_on_the_case(bureau, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.inspector)

    assert api_client.get(f"/api/cases/{case.pk}/transitions/").json() == []


def test_post_transitions_makes_the_move(bureau, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.head)

    response = api_client.post(
        f"/api/cases/{case.pk}/transitions/", {"name": "file", "reason": "证据确凿"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["from_state"], body["to_state"], body["actor"]) == ("stopped", "filed", "head")
    case.refresh_from_db()
    assert case.state == CaseState.FILED


def test_post_transitions_takes_the_hearing_date(bureau, api_client):
    case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
    api_client.force_authenticate(bureau.officer)
    hearing = (timezone.localdate() + timedelta(days=40)).isoformat()
    url = f"/api/cases/{case.pk}/transitions/"

    malformed = api_client.post(url, {"name": "request_hearing", "hearing_date": "soon"})
    made = api_client.post(url, {"name": "request_hearing", "hearing_date": hearing})

    assert malformed.status_code == 400
    assert "hearing_date" in malformed.json()
    assert made.status_code == 201
    assert made.json()["data"] == {"hearing_date": hearing}


def test_post_transitions_refuses_an_unknown_move(bureau, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.head)

    response = api_client.post(f"/api/cases/{case.pk}/transitions/", {"name": "teleport"})

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_post_transitions_refuses_with_the_reason_in_the_callers_language(
    bureau, api_client, language
):
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.head)

    response = api_client.post(
        f"/api/cases/{case.pk}/transitions/",
        {"name": "not_file", "reason": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert response.status_code == 400
    assert response["Content-Language"] == language
    with translation.override(language):
        expected = gettext("A reason is required.")
    assert response.json() == {"detail": [expected]}
    if language == "zh-hans" and expected != "A reason is required.":
        assert "理由" in expected  # the catalogue is compiled: the answer is Chinese
    case.refresh_from_db()
    assert case.state == CaseState.STOPPED


def test_post_transitions_names_the_current_state_when_a_stage_is_skipped(bureau, api_client):
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.leader)

    response = api_client.post(
        f"/api/cases/{case.pk}/transitions/", {"name": "decide"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    (message,) = response.json()["detail"]
    assert "Violation stopped" in message


def test_post_transitions_without_a_role_is_refused_not_hidden(bureau, api_client):
    """The inspector may see the case, so the refusal says why rather than 404."""
    case = ready_case(bureau, CaseState.STOPPED)
    api_client.force_authenticate(bureau.inspector)

    response = api_client.post(f"/api/cases/{case.pk}/transitions/", {"name": "file"})

    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == CaseState.STOPPED
