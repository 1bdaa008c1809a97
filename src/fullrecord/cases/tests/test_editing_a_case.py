"""Editing a case's facts goes through ``update_case``: checked, audited, never a deletion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case
from fullrecord.cases.services import CaseError, update_case

from .helpers import ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


def test_an_edit_is_audited_with_the_old_and_new_value(bureau):
    case = ready_case(bureau, CaseState.FILED)
    old = case.address

    update_case(case, actor=bureau.officer, changes={"address": "新地址"}, reason="门牌号写错")

    entry = AuditEntry.objects.get(action="case.edit", case_id=case.pk)
    assert entry.data["changes"] == {"address": [old, "新地址"]}
    assert entry.data["reason"] == "门牌号写错"


def test_an_edit_that_changes_nothing_writes_nothing(bureau):
    case = ready_case(bureau, CaseState.FILED)

    update_case(case, actor=bureau.officer, changes={"address": case.address})

    assert not AuditEntry.objects.filter(action="case.edit").exists()


def test_the_discovery_date_cannot_be_moved_into_the_future(bureau):
    case = ready_case(bureau, CaseState.FILED)
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        update_case(case, actor=bureau.officer, changes={"discovered_on": tomorrow})

    assert "discovered_on" in caught.value.message_dict

    case.refresh_from_db()
    assert case.discovered_on != tomorrow


def test_an_archived_case_file_cannot_be_changed(bureau):
    case = ready_case(bureau, CaseState.ARCHIVED)

    with pytest.raises(CaseError):
        update_case(case, actor=bureau.leader, changes={"address": "x"})


def test_the_state_and_number_are_not_editable_fields(bureau):
    case = ready_case(bureau, CaseState.FILED)

    for field in ("state", "number", "org_unit", "created_by"):
        with pytest.raises(CaseError):
            update_case(case, actor=bureau.leader, changes={field: "x"})


def test_the_api_refuses_a_future_discovery_date(bureau, api_client):
    case = ready_case(bureau, CaseState.FILED)
    api_client.force_authenticate(bureau.officer)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = api_client.patch(f"/api/cases/{case.pk}/", {"discovered_on": tomorrow})

    assert response.status_code == 400


def test_a_case_cannot_be_deleted_through_the_api(bureau, api_client):
    case = ready_case(bureau, CaseState.DISCOVERED)
    api_client.force_authenticate(bureau.leader)

    response = api_client.delete(f"/api/cases/{case.pk}/")

    assert response.status_code == 405
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_case_with_moves_cannot_be_deleted_at_all(bureau):
    """第十八条: the record of what happened stays; its rows are protected."""
    from django.db.models import ProtectedError

    from fullrecord.cases.services import do_transition

    case = ready_case(bureau, CaseState.DISCOVERED)
    do_transition(case, "stop", actor=bureau.officer)

    with pytest.raises(ProtectedError):
        case.delete()
