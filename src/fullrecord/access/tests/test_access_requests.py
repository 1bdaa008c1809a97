"""第十七条: a request with reason and scope, decided by the leader, time-limited, revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fullrecord.access import services
from fullrecord.access.models import AccessRequest
from fullrecord.audit.models import AuditEntry
from fullrecord.cases import services as case_services
from fullrecord.core.testing.factories import CauseFactory
from fullrecord.media.services import link_to_case
from fullrecord.media.tests.evidence import ingest_bytes


@pytest.fixture
def other_case(bureau):
    """A case of section two, with one video, out of the section-one officer's reach."""
    case = case_services.create_case(
        actor=bureau.other_officer,
        cause=CauseFactory(),
        source="patrol",
        org_unit=bureau.section2,
        address="乙村",
    )
    item = ingest_bytes(bureau.other_officer, b"section two footage", "two.mp4").item
    link_to_case(item, case, stage="discovery", actor=bureau.other_officer)
    return case


def file_for(bureau, case, purpose="view"):
    return services.file_request(
        requester=bureau.officer, reason="复议答辩需要", case=case, purpose=purpose
    )


def test_before_approval_the_case_and_its_footage_stay_hidden(api_client, bureau, other_case):
    file_for(bureau, other_case)
    api_client.force_authenticate(bureau.officer)
    assert api_client.get(f"/api/cases/{other_case.pk}/").status_code == 404
    item = other_case.media_links.get().item
    assert api_client.get(f"/api/media/{item.pk}/content").status_code == 404


def test_after_approval_the_requester_sees_and_each_view_carries_the_number(
    api_client, bureau, other_case
):
    request = services.decide(file_for(bureau, other_case), actor=bureau.leader, approve=True)
    api_client.force_authenticate(bureau.officer)
    assert api_client.get(f"/api/cases/{other_case.pk}/").status_code == 200
    item = other_case.media_links.get().item
    assert api_client.get(f"/api/media/{item.pk}/").status_code == 200
    viewed = AuditEntry.objects.get(action="media.view", object_id=str(item.pk))
    assert viewed.data["request"] == request.number
    assert viewed.actor == bureau.officer
    # The original's bytes are not for them: they play a watermarked rendition
    # (media/tests/test_request_holders_play_a_watermarked_rendition.py).
    response = api_client.get(f"/api/media/{item.pk}/content", HTTP_RANGE="bytes=0-")
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="media.play").exists()


def test_the_approval_ends_after_seven_days_by_default(bureau, other_case, settings):
    request = services.decide(file_for(bureau, other_case), actor=bureau.leader, approve=True)
    assert timedelta(days=6, hours=23) < request.expires_at - timezone.now() <= timedelta(days=7)
    AccessRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    from fullrecord.cases.access import visible_cases

    assert not visible_cases(bureau.officer).filter(pk=other_case.pk).exists()


def test_the_default_length_is_configurable(bureau, other_case, settings):
    settings.FULLRECORD_ACCESS_DAYS = 2
    request = services.decide(file_for(bureau, other_case), actor=bureau.leader, approve=True)
    assert request.expires_at - timezone.now() <= timedelta(days=2)


@pytest.mark.parametrize(
    "persona", ["head", "other_head", "legal", "inspector", "archivist", "officer", "admin"]
)
def test_only_the_leader_decides(bureau, other_case, persona):
    request = file_for(bureau, other_case)
    with pytest.raises(ValidationError):
        services.decide(request, actor=getattr(bureau, persona), approve=True)


def test_a_leader_does_not_approve_their_own_request(bureau, other_case):
    request = services.file_request(requester=bureau.leader, reason="x", case=other_case)
    with pytest.raises(ValidationError):
        services.decide(request, actor=bureau.leader, approve=True)


def test_a_refused_request_opens_nothing(bureau, other_case):
    services.decide(
        file_for(bureau, other_case), actor=bureau.leader, approve=False, note="理由不足"
    )
    from fullrecord.cases.access import visible_cases

    assert not visible_cases(bureau.officer).filter(pk=other_case.pk).exists()


def test_a_revoked_approval_closes_access_at_once(api_client, bureau, other_case):
    request = services.decide(file_for(bureau, other_case), actor=bureau.leader, approve=True)
    services.revoke(request, actor=bureau.leader, reason="案件已结")
    api_client.force_authenticate(bureau.officer)
    assert api_client.get(f"/api/cases/{other_case.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="access.revoke").exists()


def test_a_reason_and_a_scope_are_required(bureau, other_case):
    with pytest.raises(ValidationError):
        services.file_request(requester=bureau.officer, reason=" ", case=other_case)
    with pytest.raises(ValidationError):
        services.file_request(requester=bureau.officer, reason="x")


def test_leaders_are_notified_and_each_step_is_logged(bureau, other_case):
    request = file_for(bureau, other_case)
    assert bureau.leader.notifications.filter(link=request.get_absolute_url()).exists()
    services.decide(request, actor=bureau.leader, approve=True)
    actions = set(
        AuditEntry.objects.filter(object_id=str(request.pk)).values_list("action", flat=True)
    )
    assert {"access.request", "access.approve"} <= actions


def test_the_api_files_and_the_leader_approves(api_client, bureau, other_case):
    api_client.force_authenticate(bureau.officer)
    response = api_client.post(
        "/api/access-requests/",
        {"reason": "诉讼举证", "case_number": other_case.number, "purpose": "copy"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert (
        api_client.post(
            f"/api/access-requests/{pk}/decision", {"approve": True}, format="json"
        ).status_code
        == 400
    )
    api_client.force_authenticate(bureau.leader)
    response = api_client.post(
        f"/api/access-requests/{pk}/decision", {"approve": True, "days": 3}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["active"] is True


@pytest.mark.parametrize("persona", ["other_officer", "head", "inspector", "outsider_leader"])
def test_requests_are_seen_by_the_requester_and_leaders_only(
    api_client, bureau, other_case, persona
):
    request = file_for(bureau, other_case)
    api_client.force_authenticate(getattr(bureau, persona))
    assert api_client.get(f"/api/access-requests/{request.pk}/").status_code == 404


def test_the_page_files_a_request_by_case_number(client, bureau, other_case):
    client.force_login(bureau.officer)
    response = client.post(
        "/access/new/", {"purpose": "view", "case_number": other_case.number, "reason": "需要查阅"}
    )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.case == other_case and request.requester == bureau.officer


def test_the_page_says_which_case_number_is_unknown(client, bureau):
    client.force_login(bureau.officer)
    response = client.post(
        "/access/new/", {"purpose": "view", "case_number": "NOPE-1", "reason": "x"}
    )
    assert response.status_code == 200
    assert "NOPE-1" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_the_leader_of_another_county_neither_hears_of_nor_decides_the_request(bureau, other_case):
    request = file_for(bureau, other_case)
    assert not bureau.outsider_leader.notifications.exists()
    with pytest.raises(ValidationError):
        services.decide(request, actor=bureau.outsider_leader, approve=True)


def test_the_request_is_decided_by_the_bureau_that_holds_the_records(bureau, other_case):
    assert file_for(bureau, other_case).bureau == bureau.county


def test_a_record_seen_under_a_request_cannot_be_linked_into_ones_own_case(bureau, other_case):
    services.decide(file_for(bureau, other_case), actor=bureau.leader, approve=True)
    own = case_services.create_case(
        actor=bureau.officer,
        cause=other_case.cause,
        source="patrol",
        org_unit=bureau.section1,
        address="甲村",
    )
    item = other_case.media_links.get().item
    with pytest.raises(ValidationError):
        link_to_case(item, own, stage="discovery", actor=bureau.officer)


def test_viewing_the_case_under_the_request_is_recorded_with_its_number(
    api_client, bureau, other_case
):
    request = services.decide(file_for(bureau, other_case), actor=bureau.leader, approve=True)
    api_client.force_authenticate(bureau.officer)
    api_client.get(f"/api/cases/{other_case.pk}/")
    entry = AuditEntry.objects.filter(action="case.view", case_id=other_case.pk).latest("seq")
    assert entry.data["request"] == request.number and entry.actor == bureau.officer
