"""第十二条: case-file terms are the administrator's to edit, and the evidence of closed
cases follows an edit at once (through the worker), not at the next daily listing. The
tests' task backend runs a task as soon as it is queued, which the admin does when its
transaction commits (run here by ``django_capture_on_commit_callbacks``)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from fullrecord.accounts.models import User
from fullrecord.audit.models import AuditEntry
from fullrecord.retention import services
from fullrecord.retention.choices import Outcome
from fullrecord.retention.models import CaseFileTerm

from .helpers import case_of, end_case, footage, keep_until, link, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(client, capsys):
    """The 系统管理员 ``createadmins`` makes: catalogues, terms among them; never a delete."""
    call_command("createadmins")
    capsys.readouterr()
    user = User.objects.get(username="sysadmin")
    client.force_login(user)
    return user


def test_shortening_the_penalty_term_in_the_admin_moves_the_date_of_archived_evidence(
    bureau, client, sysadmin, django_capture_on_commit_callbacks
):
    evidence, routine = footage(bureau.officer), footage(bureau.officer)
    case = case_of(bureau)
    link(evidence, case, bureau.officer)
    end_case(case, bureau.archivist)
    assert keep_until(evidence) == services.add_years(today(), 30)
    before_routine = keep_until(routine)
    term = CaseFileTerm.objects.get(outcome=Outcome.PENALTY, years=30)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/retention/casefileterm/{term.pk}/change/",
            {"name": term.name, "outcome": term.outcome, "years": 20, "active": "on"},
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert keep_until(evidence) == services.add_years(today(), 20)
    assert keep_until(routine) == before_routine
    entry = AuditEntry.objects.filter(action="retention.recomputed").latest("seq")
    assert entry.actor == sysadmin and entry.data["count"] == 1


def test_a_longer_term_added_for_the_case_s_cause_is_followed_too(
    bureau, client, sysadmin, django_capture_on_commit_callbacks
):
    evidence = footage(bureau.officer)
    case = case_of(bureau)
    link(evidence, case, bureau.officer)
    end_case(case, bureau.archivist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/retention/casefileterm/add/",
            {
                "name": "五十年",
                "outcome": Outcome.PENALTY,
                "years": 50,
                "causes": [case.cause_id],
                "active": "on",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert keep_until(evidence) == services.add_years(today(), 50)
