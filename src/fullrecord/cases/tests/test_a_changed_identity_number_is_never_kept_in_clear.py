"""A party's identity number, address or contact changed through 案件信息变更 is sealed
like the party's own: the change, its timeline entry, the approvers' notice, the audit
entry and the API show it masked; the value waiting for approval is sealed with SM4,
and approving it puts the real number on the party (个人信息保护法, 密评)."""

from __future__ import annotations

import json

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import changes, timeline
from fullrecord.cases.choices import CaseState, ChangeState
from fullrecord.cases.models import CaseChange
from fullrecord.core.testing.factories import resident_id
from fullrecord.notifications.models import Notification

from .helpers import ready_case

pytestmark = pytest.mark.django_db

NEW_NUMBER = resident_id(77)  # 130524199001010779
NEW_ADDRESS = "清河县城关镇幸福路十八号院三单元"


def test_the_pending_number_is_sealed_and_shown_masked_everywhere(bureau, api_client):
    case = ready_case(bureau, CaseState.INVESTIGATING)
    party = case.parties.get()

    change = changes.change_party(
        party,
        actor=bureau.officer,
        changes={"id_number": NEW_NUMBER, "address": NEW_ADDRESS},
        reason="身份证号录错",
    )

    assert change.state == ChangeState.PENDING
    stored = json.dumps(CaseChange.objects.get(pk=change.pk).changes, ensure_ascii=False)
    trail = json.dumps(
        list(AuditEntry.objects.filter(case_id=case.pk).values("summary", "data")),
        ensure_ascii=False,
        default=str,
    )
    notices = " ".join(Notification.objects.values_list("message", flat=True))
    shown = " ".join(str(e.title) + str(e.detail) for e in timeline.build(case))
    api_client.force_authenticate(bureau.head)
    answer = api_client.get(f"/api/cases/{case.pk}/changes/").content.decode()
    for place in (stored, trail, notices, shown, answer):
        assert NEW_NUMBER not in place and "幸福路十八号" not in place
    assert "130***********0779" in stored

    changes.decide_change(change, actor=bureau.head, approve=True)

    party.refresh_from_db()
    assert (party.id_number, party.address) == (NEW_NUMBER, NEW_ADDRESS)
