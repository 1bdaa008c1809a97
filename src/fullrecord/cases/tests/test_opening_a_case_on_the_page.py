"""The case-create page: it shows every error at once and loses nothing the user typed."""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext as _

from fullrecord.cases.models import Case, Cause

from .test_party_identity_checks import VALID_CODE, VALID_ID


def form_data(bureau, **overrides) -> dict:
    data = {
        "cause": Cause.objects.get(code="farmland-damage").pk,
        "source": "report",
        "org_unit": bureau.section1.pk,
        "discovered_on": "2026-03-02",
        "address": "清河县坝营镇大营村耕地",
        "latitude": "",
        "longitude": "",
        "summary": "群众举报有人在基本农田挖塘养鱼",
        "officers": [],
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
        "parties-0-kind": "person",
        "parties-0-name": "赵某某",
        "parties-0-id_type": "resident_id",
        "parties-0-id_number": VALID_ID,
        "parties-0-address": "清河县坝营镇",
        "parties-0-contact": "13803190001",
        # The second, empty form is the "add another" row: left blank, it is ignored.
        "parties-1-kind": "",
        "parties-1-name": "",
        "parties-1-id_type": "",
        "parties-1-id_number": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer_client(bureau, client):
    client.force_login(bureau.officer)
    return client


@pytest.fixture
def head_client(bureau, client):
    client.force_login(bureau.head)
    return client


def test_it_opens_the_case_with_its_party_and_officers(bureau, head_client):
    response = head_client.post("/cases/new/", form_data(bureau, officers=[bureau.officer2.pk]))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert [p.name for p in case.parties.all()] == ["赵某某"]
    assert set(case.officers.values_list("username", flat=True)) == {"head", "officer2"}


def test_the_page_offers_only_the_units_and_officers_of_the_bureau(bureau, officer_client):
    form = officer_client.get("/cases/new/").context["form"]

    assert bureau.other_county not in form.fields["org_unit"].queryset
    assert bureau.other_officer in form.fields["officers"].queryset
    assert bureau.leader not in form.fields["officers"].queryset


def test_people_who_may_not_open_cases_do_not_get_the_page(bureau, client):
    client.force_login(bureau.inspector)

    assert client.get("/cases/new/").status_code == 404


def test_it_shows_case_and_party_errors_together_and_keeps_what_was_typed(bureau, head_client):
    typo = VALID_ID[:-1] + "1"
    data = form_data(
        bureau, address="", officers=[bureau.officer2.pk], **{"parties-0-id_number": typo}
    )

    response = head_client.post("/cases/new/", data)

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "address" in response.context["form"].errors
    party_errors = response.context["parties"].forms[0].errors
    assert party_errors["id_number"] == [
        _("The check digit of this ID number is wrong; please re-read the card.")
    ]
    html = response.content.decode()
    for typed in ("群众举报有人在基本农田挖塘养鱼", "赵某某", typo, "13803190001", "清河县坝营镇"):
        assert typed in html, typed
    assert "2026-03-02" in html
    assert re.search(rf'name="officers" value="{bureau.officer2.pk}"[^>]* checked', html)


def test_it_refuses_a_person_with_a_credit_code_on_the_page(bureau, officer_client):
    data = form_data(
        bureau, **{"parties-0-id_type": "credit_code", "parties-0-id_number": VALID_CODE}
    )

    response = officer_client.post("/cases/new/", data)

    assert response.status_code == 200
    assert response.context["parties"].forms[0].errors["id_type"] == [
        _("A person is identified by an ID card or passport, not a credit code.")
    ]
    assert VALID_CODE in response.content.decode()


def test_it_refuses_a_discovery_date_in_the_future_with_a_message(bureau, officer_client):
    response = officer_client.post("/cases/new/", form_data(bureau, discovered_on="2999-01-01"))

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert response.context["form"].errors["discovered_on"] == [
        _("The discovery date cannot be in the future.")
    ]


def test_editing_a_case_keeps_the_typed_values_on_error(bureau, client):
    from fullrecord.cases.choices import CaseState

    from .helpers import ready_case

    case = ready_case(bureau, CaseState.FILED)
    client.force_login(bureau.officer)
    data = {
        "cause": case.cause_id,
        "source": "patrol",
        "discovered_on": "2026-03-02",
        "address": "新的地址",
        "latitude": "123",
        "longitude": "",
        "summary": "补充的事实",
    }

    response = client.post(f"/cases/{case.pk}/edit/", data)

    assert response.status_code == 200
    assert "latitude" in response.context["form"].errors
    assert "补充的事实" in response.content.decode()
    case.refresh_from_db()
    assert case.address != "新的地址"
