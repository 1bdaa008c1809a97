"""等保 8.1.4.3: a request the server refuses to someone it knows is an audit entry — who,
what (method and address), the event, that it was refused and why, and the request id —
whether the page or the API refused it, and even when the view's work was rolled back."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from fullrecord.accounts.services import issue_api_token
from fullrecord.audit.labels import action_label
from fullrecord.audit.models import AuditEntry
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory, PartyFactory
from fullrecord.security import compliance
from fullrecord.security.models import PasswordState

pytestmark = pytest.mark.django_db
REFUSED = "security.request_refused"
MIDDLEWARE = "fullrecord.security.middleware.RefusedRequestMiddleware"


@pytest.fixture
def their_case(bureau):
    """A case of section two: out of the section-one officer's reach."""
    case = CaseFactory(org_unit=bureau.section2)
    AssignmentFactory(case=case, officer=bureau.other_officer)
    return case


def refusals():
    return list(AuditEntry.objects.filter(action=REFUSED).order_by("seq"))


def test_an_officer_opening_another_section_s_case_page_is_recorded(client, bureau, their_case):
    client.force_login(bureau.officer)

    response = client.get(f"/cases/{their_case.pk}/")

    assert response.status_code == 404  # the same answer as for a case that does not exist
    [entry] = refusals()
    assert entry.actor == bureau.officer
    assert entry.data["method"] == "GET"
    assert entry.data["path"] == f"/cases/{their_case.pk}/"
    assert entry.data["http_status"] == 404
    assert entry.data["request_id"] == response["X-Request-ID"]
    assert f"/cases/{their_case.pk}/" in entry.summary


def test_the_same_case_through_the_api_with_a_token_is_recorded_with_the_token_s_prefix(
    bureau, their_case
):
    key = issue_api_token(bureau.officer)
    api = APIClient()

    response = api.get(f"/api/cases/{their_case.pk}/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 404
    [entry] = refusals()
    assert entry.actor == bureau.officer
    assert entry.data["path"] == f"/api/cases/{their_case.pk}/"
    assert entry.data["token"] == key[:15]
    assert key not in json.dumps(entry.data) + entry.summary


def test_a_change_the_api_refuses_is_recorded_with_drf_s_reason(bureau, api_client):
    api_client.force_authenticate(bureau.officer)  # an officer is not the inspection team

    response = api_client.post("/api/inspection-plans/", {}, format="json")

    assert response.status_code == 403
    [entry] = refusals()
    assert (entry.actor, entry.data["method"], entry.data["http_status"]) == (
        bureau.officer,
        "POST",
        403,
    )
    assert entry.data["reason"]


def test_a_missing_case_is_recorded_like_a_forbidden_one(client, bureau):
    client.force_login(bureau.officer)

    assert client.get("/cases/987654/").status_code == 404

    [entry] = refusals()
    assert entry.data["path"] == "/cases/987654/"


def test_a_page_the_role_may_not_open_is_recorded(client, bureau):
    """Legal staff do not open cases: the new-case page answers 404 from the view itself."""
    client.force_login(bureau.legal)

    assert client.get("/cases/new/").status_code == 404

    [entry] = refusals()
    assert entry.actor == bureau.legal
    assert entry.data["path"] == "/cases/new/"
    assert entry.data["reason"] == "记录不存在，或不在该用户的权限范围内"


def test_a_party_of_another_case_named_through_the_api_is_recorded(bureau, api_client):
    """The officer's own case, and a party id taken from another section's case."""
    mine = CaseFactory(org_unit=bureau.section1)
    AssignmentFactory(case=mine, officer=bureau.officer)
    theirs = CaseFactory(org_unit=bureau.section2)
    stranger = PartyFactory(case=theirs)
    api_client.force_authenticate(bureau.officer)

    response = api_client.post(
        f"/api/cases/{mine.pk}/changes/",
        {"party": stranger.pk, "values": {"name": "甲"}, "reason": "更正"},
        format="json",
    )

    assert response.status_code == 404
    [entry] = refusals()
    assert entry.actor == bureau.officer
    assert entry.data["path"] == f"/api/cases/{mine.pk}/changes/"


def test_a_mistyped_address_is_not_a_refusal(client, bureau):
    client.force_login(bureau.officer)

    assert client.get("/no-such-page/").status_code == 404

    assert refusals() == []


def test_the_case_s_own_officer_is_not_recorded_as_refused(client, bureau, their_case):
    client.force_login(bureau.other_officer)

    assert client.get(f"/cases/{their_case.pk}/").status_code == 200

    assert refusals() == []


def test_a_form_sent_without_its_csrf_token_is_recorded(bureau):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)

    response = client.post("/cases/new/", {"address": "城关镇"})

    assert response.status_code == 403
    [entry] = refusals()
    assert entry.actor == bureau.officer
    assert "CSRF" in entry.data["reason"]


def test_the_api_s_csrf_check_on_a_session_is_recorded(bureau):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(bureau.officer)

    assert api.post("/api/cases/", {}, format="json").status_code == 403

    [entry] = refusals()
    assert entry.actor == bureau.officer and "CSRF" in entry.data["reason"]


def test_an_unknown_token_is_recorded_by_its_first_characters_only(bureau):
    forged = "0123456789abcdef" * 4

    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {forged}")

    assert response.status_code == 401
    [entry] = refusals()
    assert entry.actor is None
    assert entry.data["token"] == forged[:15]
    assert forged not in json.dumps(entry.data) + entry.summary


def test_something_not_shaped_like_a_token_is_recorded_without_it(bureau):
    secret = "my-password-typed-in-the-wrong-place"

    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {secret}")

    assert response.status_code == 401
    [entry] = refusals()
    assert "token" not in entry.data
    assert secret[:6] not in json.dumps(entry.data, ensure_ascii=False) + entry.summary


@pytest.mark.signin_policy
def test_a_genuine_token_refused_by_its_user_s_policy_names_the_user(bureau):
    key = issue_api_token(bureau.officer)
    PasswordState.objects.update_or_create(user=bureau.officer, defaults={"must_change": True})

    response = APIClient().get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 401
    [entry] = refusals()
    assert entry.actor == bureau.officer
    assert entry.data["token"] == key[:15]


def test_anonymous_visitors_without_credentials_are_not_recorded(bureau, their_case):
    assert APIClient().get(f"/api/cases/{their_case.pk}/").status_code == 401
    assert Client().get("/metrics").status_code == 403

    assert refusals() == []


def test_a_refusal_a_service_recorded_gets_no_second_entry(client, bureau):
    client.force_login(bureau.audit_admin)  # reads the security pages, changes nothing
    before = AuditEntry.objects.count()

    response = client.post("/administration/", {"username": "nobody", "role": "archivist"})

    assert response.status_code == 403
    assert list(AuditEntry.objects.filter(seq__gt=before).values_list("action", flat=True)) == [
        "security.refused"
    ]


def test_recording_that_fails_leaves_the_answer_as_it_was_and_is_logged(
    client, bureau, their_case, monkeypatch, caplog
):
    from fullrecord.security import middleware

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(middleware, "record", broken)
    client.force_login(bureau.officer)

    with caplog.at_level(logging.ERROR, logger="fullrecord.security"):
        response = client.get(f"/cases/{their_case.pk}/")

    assert response.status_code == 404
    assert "refused request not recorded" in caplog.text
    assert refusals() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_entry_stays_when_the_view_s_transaction_is_rolled_back(bureau, monkeypatch):
    # Each view in its own transaction, rolled back on the refusal (DRF marks it so).
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    case = CaseFactory(org_unit=bureau.section2)
    key = issue_api_token(bureau.officer)
    client = Client()
    client.force_login(bureau.officer)

    assert client.get(f"/cases/{case.pk}/").status_code == 404
    api = APIClient()
    assert api.get(f"/api/cases/{case.pk}/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 404
    assert api.post(
        "/api/inspection-plans/", {}, HTTP_AUTHORIZATION=f"Token {key}"
    ).status_code == (403)

    assert not connection.in_atomic_block  # what is read below was committed
    assert [e.data["http_status"] for e in refusals()] == [404, 404, 403]


def test_the_action_is_named_in_chinese(bureau):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert action_label(REFUSED) == "请求被拒绝"


def test_without_the_middleware_nothing_is_recorded_and_the_self_check_fails(
    client, bureau, their_case, settings
):
    [control] = [r for r in compliance.run() if r.control.code == "EP-8"]
    assert control.result == "pass"

    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    client.force_login(bureau.officer)
    assert client.get(f"/cases/{their_case.pk}/").status_code == 404

    assert refusals() == []
    [control] = [r for r in compliance.run() if r.control.code == "EP-8"]
    assert control.result == "fail"

    settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]  # before the session's user
    [control] = [r for r in compliance.run() if r.control.code == "EP-8"]
    assert control.result == "fail"
