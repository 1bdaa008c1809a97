"""Putting an officer on a case gives them the case and its footage, so only those whose
role may assign officers do it, and only with officers of the case's own unit (the leader
in charge: of the bureau). An officer opening a case is assigned to it alone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from fullrecord.cases.access import visible_cases
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case
from fullrecord.cases.tests.helpers import ready_case

from .test_case_api import case_payload, post_case
from .test_opening_a_case_on_the_page import form_data

REFUSED_ROLE = _("Only the section head or the leader may assign other officers to a case.")


def test_an_officers_api_post_naming_another_units_officer_is_refused(bureau, api_client):
    payload = case_payload(bureau, officer_ids=[bureau.other_officer.pk])

    response = post_case(api_client, bureau.officer, payload)

    assert response.status_code == 400
    assert REFUSED_ROLE in str(response.json())
    assert not Case.objects.exists()
    assert not visible_cases(bureau.other_officer).exists()


def test_an_officer_may_not_name_even_a_colleague_of_the_same_section(bureau, api_client):
    payload = case_payload(bureau, officer_ids=[bureau.officer2.pk])

    assert post_case(api_client, bureau.officer, payload).status_code == 400
    assert not Case.objects.exists()


def test_an_officers_page_post_naming_another_units_officer_shows_the_refusal(bureau, client):
    client.force_login(bureau.officer)

    response = client.post("/cases/new/", form_data(bureau, officers=[bureau.other_officer.pk]))

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "只有科长或分管领导可以为案件指派其他执法人员" in response.content.decode()


def test_the_page_does_not_offer_officers_to_an_officer(bureau, client):
    client.force_login(bureau.officer)

    html = client.get("/cases/new/").content.decode()

    assert 'type="checkbox" name="officers"' not in html


def test_an_officer_cannot_open_a_case_of_another_section_for_themselves(bureau, api_client):
    payload = case_payload(bureau, org_unit=bureau.section2.pk)

    response = post_case(api_client, bureau.officer, payload)

    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_section_head_cannot_put_another_sections_officers_on_a_case(bureau, api_client):
    own = case_payload(bureau, org_unit=bureau.section2.pk, officer_ids=[bureau.officer.pk])
    foreign = case_payload(bureau, officer_ids=[bureau.officer.pk])

    assert post_case(api_client, bureau.other_head, own).status_code == 400
    assert post_case(api_client, bureau.other_head, foreign).status_code == 400
    assert not Case.objects.exists()


def test_a_section_head_assigning_later_stays_within_the_section(bureau, api_client):
    case = ready_case(bureau, CaseState.FILED)
    api_client.force_authenticate(bureau.head)

    response = api_client.post(
        f"/api/cases/{case.pk}/officers/", {"officer": bureau.other_officer.pk}
    )

    assert response.status_code == 400
    assert not case.officers.filter(pk=bureau.other_officer.pk).exists()


def test_the_leader_may_put_any_officer_of_the_bureau_on_a_case(bureau, api_client):
    case = ready_case(bureau, CaseState.FILED)
    api_client.force_authenticate(bureau.leader)

    response = api_client.post(
        f"/api/cases/{case.pk}/officers/", {"officer": bureau.other_officer.pk}
    )

    assert response.status_code == 201
    assert visible_cases(bureau.other_officer).filter(pk=case.pk).exists()
