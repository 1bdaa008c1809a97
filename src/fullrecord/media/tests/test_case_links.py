"""Linking evidence to cases: stage, classification filled from the case, timeline."""

from __future__ import annotations

import pytest

from fullrecord.cases import services as case_services
from fullrecord.cases.timeline import build
from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.services import correct_classification

from .evidence import ingest_bytes


@pytest.fixture
def case(bureau):
    return case_services.create_case(
        actor=bureau.officer,
        cause=CauseFactory(name="测试案由乙"),
        source="patrol",
        org_unit=bureau.section1,
        address="城关镇",
        parties=[{"kind": "person", "name": "赵某某", "id_type": "passport", "id_number": "E1"}],
    )


@pytest.fixture
def item(bureau):
    return ingest_bytes(bureau.officer, b"footage", "f.mp4", device_number="DSJ-9").item


def test_linking_fills_party_and_cause_and_clears_the_unlinked_flag(api_client, bureau, case, item):
    assert item.unlinked
    api_client.force_authenticate(bureau.officer)
    response = api_client.post(f"/api/media/{item.pk}/links", {"case": case.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["party_name"] == "赵某某"
    assert body["cause_name"] == "测试案由乙"
    assert body["unlinked"] is False
    assert body["case_links"][0]["stage"] == "discovery"


def test_the_item_appears_on_the_case_timeline(bureau, case, item):
    from fullrecord.media.services import link_to_case

    link_to_case(item, case, stage="investigation", actor=bureau.officer)
    records = [t for t in build(case) if t.kind == "record"]
    assert records and records[0].extra["media_id"] == item.pk
    assert records[0].stage == "investigation"


def test_one_item_serves_several_cases(bureau, case, item):
    from fullrecord.media.services import link_to_case

    other = case_services.create_case(
        actor=bureau.officer,
        cause=case.cause,
        source="report",
        org_unit=bureau.section1,
        address="另一处",
    )
    link_to_case(item, case, stage="discovery", actor=bureau.officer)
    link_to_case(item, other, stage="discovery", actor=bureau.officer)
    assert item.case_links.count() == 2


def test_someone_without_the_case_cannot_link(api_client, bureau, case, item):
    api_client.force_authenticate(bureau.other_officer)
    response = api_client.post(f"/api/media/{item.pk}/links", {"case": case.pk}, format="json")
    assert response.status_code == 404


def test_a_correction_needs_a_reason_and_is_logged(bureau, item):
    from django.core.exceptions import ValidationError

    from fullrecord.audit.models import AuditEntry

    with pytest.raises(ValidationError):
        correct_classification(
            item, actor=bureau.officer, changes={"device_number": "X"}, reason=""
        )
    correct_classification(
        item, actor=bureau.officer, changes={"device_number": "DSJ-10"}, reason="设备编号贴错"
    )
    entry = AuditEntry.objects.get(action="media.classify", object_id=str(item.pk))
    assert entry.data["changes"]["device_number"] == ["DSJ-9", "DSJ-10"]
    assert entry.data["reason"] == "设备编号贴错"


def test_another_section_cannot_correct(api_client, bureau, item):
    api_client.force_authenticate(bureau.other_head)
    response = api_client.patch(
        f"/api/media/{item.pk}/classification", {"device_number": "Z", "reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_the_page_links_by_case_number(client, bureau, case, item):
    client.force_login(bureau.officer)
    response = client.post(f"/media/{item.pk}/", {"link": "1", "case_number": case.number})
    assert response.status_code == 302
    assert item.case_links.filter(case=case).exists()


def test_the_case_page_shows_its_footage_and_the_upload_link(client, bureau, case, item):
    from fullrecord.media.services import link_to_case

    link_to_case(item, case, stage="discovery", actor=bureau.officer)
    client.force_login(bureau.officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert item.original_name in page
    assert f"/media/upload/?case={case.pk}" in page
