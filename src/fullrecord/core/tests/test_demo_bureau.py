"""``fullrecord demo`` builds a believable bureau through the same services users use."""

from __future__ import annotations

from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import User
from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import verify_chain
from fullrecord.cases.choices import EXIT_STATES, CaseState, Stage
from fullrecord.cases.models import Case, CaseTransition

MAIN_PATH = [
    CaseState.DISCOVERED,
    CaseState.STOPPED,
    CaseState.FILED,
    CaseState.INVESTIGATING,
    CaseState.LEGAL_REVIEW,
    CaseState.NOTIFIED,
    CaseState.DECIDED,
    CaseState.SERVED,
    CaseState.ENFORCING,
    CaseState.CLOSED,
    CaseState.ARCHIVED,
]


class DemoBureauTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        call_command("demo", stdout=out)  # built once for the class (it takes a while)
        cls.output = out.getvalue()

    def test_it_builds_cases_in_every_stage_but_the_exits(self):
        stages = {case.stage for case in Case.objects.all()}

        assert stages >= {s for s in Stage.values if s != Stage.EXIT}

    def test_it_builds_cases_in_every_state_on_the_main_path_and_some_exits(self):
        states = set(Case.objects.values_list("state", flat=True))

        assert set(MAIN_PATH) <= states
        assert states & EXIT_STATES

    def test_every_demo_move_is_recorded_and_the_audit_chain_verifies(self):
        moves = CaseTransition.objects.count()

        assert moves > 0
        assert AuditEntry.objects.filter(action="case.transition").count() == moves
        assert verify_chain() == []

    def test_it_has_people_of_every_role_and_prints_their_accounts(self):
        held = set(User.objects.values_list("role_grants__role", flat=True))

        assert held >= set(Role.values)
        assert "fullrecord-demo" in self.output
        assert "leader" in self.output
        again = StringIO()
        call_command("demo", "--accounts", stdout=again)  # what ``make run`` prints later
        assert "secadmin" in again.getvalue() and "auditadmin" in again.getvalue()

    def test_the_demo_officers_carry_certificates(self):
        officers = User.objects.filter(role_grants__role=Role.OFFICER)

        assert officers.count() >= 4
        assert all(o.certificate_number for o in officers)

    def test_it_loads_only_into_an_empty_database(self):
        with self.assertRaises(CommandError):
            call_command("demo", stdout=StringIO())

        call_command("demo", "--if-empty", stdout=StringIO())  # quietly does nothing
        assert User.objects.filter(username="leader").count() == 1

    def test_the_demo_leader_sees_the_whole_bureau(self):
        self.client.force_login(User.objects.get(username="leader"))

        response = self.client.get("/cases/")

        assert response.status_code == 200
        assert response.context["page"].paginator.count == Case.objects.count()

    def test_one_case_has_its_party_papers_complete_and_one_misses_a_paper(self):
        from fullrecord.documents import papers

        cases = Case.objects.filter(
            state__in=[CaseState.INVESTIGATING, CaseState.LEGAL_REVIEW, CaseState.CLOSED]
        )
        found = {case.state: papers.checklists(case) for case in cases}

        [missing] = [c for c in found[CaseState.INVESTIGATING] if not c.complete]
        assert len(missing.missing) == 1  # the rest of its papers are on file
        assert all(c.complete for c in found[CaseState.LEGAL_REVIEW])
        assert all(c.complete for c in found[CaseState.CLOSED])
        marked = [
            line
            for c in found[CaseState.CLOSED]
            for line in c.lines
            if line.status == papers.NOT_APPLICABLE
        ]
        assert marked and marked[0].not_applicable.reason
