"""个人信息保护法 / 密评: a party's ID number, address and contact are SM4-sealed in the
database, masked on pages and in the API, found by ID number through the blind index,
and shown in full only as a recorded action by someone who reaches the case."""

from __future__ import annotations

import pytest
from django.db import connection

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.models import Party
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory, PartyFactory

pytestmark = pytest.mark.django_db

ID = "110101199003074258"


@pytest.fixture
def party(bureau):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.officer)
    AssignmentFactory(case=case, officer=bureau.officer)
    return PartyFactory(
        case=case, id_number=ID, address="清河县城关镇东关村一组12号", contact="13800001111"
    )


def _raw(party) -> tuple[str, str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, address, contact, id_number_index FROM cases_party WHERE id = %s",
            [party.pk],
        )
        return cursor.fetchone()


def test_the_database_holds_only_sealed_text_and_python_reads_the_plain_value(party):
    id_number, address, contact, index = _raw(party)

    assert all(v.startswith("sm4$") for v in (id_number, address, contact))
    assert ID not in id_number and "东关村" not in address and "13800001111" not in contact
    assert len(index) == 64 and ID not in index
    fresh = Party.objects.get(pk=party.pk)
    assert (fresh.id_number, fresh.address, fresh.contact) == (
        ID,
        "清河县城关镇东关村一组12号",
        "13800001111",
    )


def test_a_case_is_found_by_its_party_s_id_number(bureau, party, client):
    client.force_login(bureau.officer)

    response = client.get("/cases/", {"q": ID.lower()})

    assert party.case.number in response.content.decode()


def test_the_case_page_and_the_api_show_it_masked(bureau, party, client, api_client):
    client.force_login(bureau.officer)
    page = client.get(party.case.get_absolute_url()).content.decode()
    api_client.force_authenticate(bureau.officer)
    data = api_client.get(f"/api/cases/{party.case.pk}/").json()

    assert ID not in page and "110***********4258" in page
    assert "13800001111" not in page and "138****1111" in page
    assert ID not in str(data) and "110***********4258" in str(data)


def test_showing_it_in_full_is_recorded(bureau, party, client):
    client.force_login(bureau.officer)

    response = client.post(f"/personal-data/parties/{party.pk}/id_number/")

    assert response.status_code == 200
    assert response.content.decode() == ID
    entry = AuditEntry.objects.get(action="security.personal_data_shown")
    assert (entry.actor, entry.case_id, entry.data["field"]) == (
        bureau.officer,
        party.case_id,
        "id_number",
    )
    assert ID not in str(entry.data) and ID not in entry.summary


def test_someone_without_reach_gets_404_and_the_attempt_is_recorded(bureau, party, api_client):
    api_client.force_authenticate(bureau.other_officer)

    response = api_client.post(f"/api/parties/{party.pk}/reveal/", {"field": "id_number"})

    assert response.status_code == 404
    assert ID not in response.content.decode()
    refusal = AuditEntry.objects.get(action="security.refused")
    assert refusal.actor == bureau.other_officer


def test_the_security_admin_has_no_reach_to_personal_data(bureau, party, client):
    client.force_login(bureau.security_admin)

    assert client.post(f"/personal-data/parties/{party.pk}/address/").status_code == 404


def test_a_removed_party_leaves_only_the_masked_number_in_the_audit_log(bureau, party):
    from fullrecord.cases import services

    services.remove_party(party, actor=bureau.officer)

    entry = AuditEntry.objects.get(action="case.party_remove")
    assert entry.data["id_number"] == "110***********4258"
