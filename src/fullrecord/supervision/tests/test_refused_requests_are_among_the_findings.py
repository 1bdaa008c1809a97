"""第十七条: the inspection team's refused-access findings include what the server refused —
another section's case opened by address — and a refused security change, each counted for
the bureau of the person refused and nowhere else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.labels import action_label
from fullrecord.core.testing.factories import AssignmentFactory, CaseFactory
from fullrecord.security.services import SecurityError, grant_role
from fullrecord.supervision import findings

pytestmark = pytest.mark.django_db


def _refused(unit):
    today = timezone.localdate()
    [group] = [
        g
        for g in findings.all_findings(unit, today - timedelta(days=30), today)
        if g.key == "refused"
    ]
    return group


def test_a_case_opened_out_of_reach_and_a_refused_role_grant_are_findings(client, bureau):
    theirs = CaseFactory(org_unit=bureau.section2)
    AssignmentFactory(case=theirs, officer=bureau.other_officer)
    client.force_login(bureau.officer)
    assert client.get(f"/cases/{theirs.pk}/").status_code == 404
    with pytest.raises(SecurityError):
        grant_role(bureau.other_officer, "leader", actor=bureau.officer)

    group = _refused(bureau.county)

    assert group.count == 2
    assert {f.title for f in group.findings} == {
        str(action_label("security.request_refused")),
        str(action_label("security.refused")),
    }
    assert any(f"/cases/{theirs.pk}/" in f.detail for f in group.findings)
    assert _refused(bureau.other_county).count == 0
