"""Correcting a party starts from what is recorded, masked as on the case page
(个人信息保护法): the form never shows an ID number, address or phone in full, a masked
value sent back keeps the stored one (nothing is lost, no stars are stored), and a typed
value replaces it. Someone who does not reach the case gets the same 404 as for a party
that does not exist, and learns nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Party
from fullrecord.core.demo import person_id

from .helpers import ready_case

pytestmark = pytest.mark.django_db
ADDRESS = "清河县东关村一组12号"
PHONE = "13800001234"


def recorded_party(bureau) -> Party:
    case = ready_case(bureau, CaseState.STOPPED)
    party = case.parties.get()
    party.address, party.contact = ADDRESS, PHONE
    party.save()
    return party


def url(party: Party) -> str:
    return reverse("cases:party_edit", args=[party.case_id, party.pk])


def form_data(party: Party, **changes) -> dict:
    """What the browser sends back when only ``changes`` were typed over the form."""
    data = {
        "kind": party.kind,
        "name": party.name,
        "id_type": party.id_type,
        "id_number": party.masked_id_number,
        "legal_representative": party.legal_representative,
        "address": party.masked_address,
        "contact": party.masked_contact,
        "reason": "",
    }
    return {**data, **changes}


def test_the_form_is_prefilled_masked_and_never_in_full(bureau, client):
    party = recorded_party(bureau)
    client.force_login(bureau.officer)

    page = client.get(url(party)).content.decode()

    assert party.name in page
    for masked in (party.masked_id_number, party.masked_address, party.masked_contact):
        assert f'value="{masked}"' in page
    for full in (party.id_number, ADDRESS, PHONE):
        assert full not in page


def test_masked_values_sent_back_keep_what_is_stored(bureau, client):
    party = recorded_party(bureau)
    number = party.id_number
    client.force_login(bureau.officer)

    answer = client.post(url(party), form_data(party, legal_representative="李某"))

    assert answer.status_code == 302
    stored = Party.objects.get(pk=party.pk)
    assert stored.legal_representative == "李某"
    assert (stored.id_number, stored.address, stored.contact) == (number, ADDRESS, PHONE)
    entry = AuditEntry.objects.filter(action="case.party_edit").latest("pk")
    assert set(entry.data["changes"]) == {"legal_representative"}


def test_a_typed_value_replaces_the_stored_one(bureau, client):
    party = recorded_party(bureau)
    new_number = person_id(41)
    client.force_login(bureau.officer)

    client.post(
        url(party), form_data(party, id_number=new_number, address="清河县西关村3号", contact="")
    )

    stored = Party.objects.get(pk=party.pk)
    assert (stored.id_number, stored.address, stored.contact) == (
        new_number,
        "清河县西关村3号",
        "",
    )
    entry = AuditEntry.objects.filter(action="case.party_edit").latest("pk")
    assert new_number not in str(entry.data) and "西关村3号" not in str(entry.data)


def test_the_api_keeps_a_masked_value_echoed_back(bureau, api_client):
    party = recorded_party(bureau)
    api_client.force_authenticate(bureau.officer)
    shown = api_client.get(f"/api/cases/{party.case_id}/").json()["parties"][0]

    answer = api_client.post(
        f"/api/cases/{party.case_id}/changes/",
        {"party": party.pk, "values": {**shown, "legal_representative": "李某"}, "reason": ""},
        format="json",
    )

    assert answer.status_code == 201, answer.content
    stored = Party.objects.get(pk=party.pk)
    assert (stored.address, stored.contact, stored.legal_representative) == (
        ADDRESS,
        PHONE,
        "李某",
    )


@pytest.mark.parametrize("who", ["other_officer", "other_head", "inspector", "security_admin"])
def test_someone_without_reach_gets_404_and_nothing_of_the_party(bureau, client, who):
    party = recorded_party(bureau)
    client.force_login(getattr(bureau, who))

    page = client.get(url(party))
    posted = client.post(url(party), form_data(party, address="攻击者地址"))

    assert page.status_code == posted.status_code == 404
    assert client.get(reverse("cases:party_edit", args=[party.case_id, 999999])).status_code == 404
    for full in (party.id_number, ADDRESS, PHONE, party.masked_address):
        assert full not in page.content.decode()
    assert Party.objects.get(pk=party.pk).address == ADDRESS
