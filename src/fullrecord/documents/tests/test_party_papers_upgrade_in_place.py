"""The checklist reaches a database of the previous release in place: the catalogue's first
party types (当事人身份证明 …) are retired, their scans stay in the case file, and where the
case has one party they are filed against the matching item of its checklist, so a case
that had its party's identity on file still has it. Cases are checked again afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fullrecord.cases.models import Case, Cause
from fullrecord.core.testing.factories import CaseFactory, PartyFactory
from fullrecord.documents import papers
from fullrecord.documents.models import Document, DocumentType, PaperItem

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")

BEFORE = ("documents", "0002_seed_catalogue")
AFTER = ("documents", "0004_party_paper_checklist")


def _case(bureau, cause_code: str, parties: int) -> Case:
    case = CaseFactory(
        org_unit=bureau.section1,
        created_by=bureau.head,
        state="investigating",
        cause=Cause.objects.get(code=cause_code),
    )
    for _ in range(parties):
        PartyFactory(case=case)
    return case


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_party_scans_are_kept_and_filed_against_the_checklist(bureau):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = MigrationExecutor(connection).loader.project_state([BEFORE]).apps
    OldType = old.get_model("documents", "DocumentType")
    OldDocument = old.get_model("documents", "Document")
    one = _case(bureau, "illegal-occupation", parties=1)
    two = _case(bureau, "illegal-occupation", parties=2)
    made = {}
    for case, code in (
        (one, "party_identity"),
        (one, "party_land_certificate"),
        (two, "party_identity"),
    ):
        made[case.pk, code] = OldDocument.objects.create(
            case_id=case.pk,
            doc_type=OldType.objects.get(code=code),
            stage="investigation",
            status="received",
            content={"name": f"{code}.pdf", "kind": "pdf"},
            sha256="a" * 64,
            created_by_id=bureau.officer.pk,
        ).pk
    Case.objects.filter(pk__in=[one.pk, two.pk]).update(
        completeness_checked_at="2026-01-01T00:00:00Z"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    assert PaperItem.objects.filter(cause__code="illegal-occupation").exists()
    retired = DocumentType.objects.filter(code__in=["party_identity", "party_land_certificate"])
    assert not retired.filter(active=True).exists()
    # Nothing lost: every old scan is still there, unchanged.
    assert Document.objects.filter(pk__in=made.values(), sha256="a" * 64).count() == 3
    identity = Document.objects.get(pk=made[one.pk, "party_identity"])
    assert identity.party == one.parties.get()
    assert identity.paper_item.name == "居民身份证或其他有效身份证件复印件"
    land = Document.objects.get(pk=made[one.pk, "party_land_certificate"])
    assert land.paper_item.name == "用地批准文件或土地使用权证明"
    [checklist] = papers.checklists(Case.objects.get(pk=one.pk))
    assert checklist.complete
    # Whose paper it is on a case of two parties, the officer says by filing it again.
    unsure = Document.objects.get(pk=made[two.pk, "party_identity"])
    assert (unsure.party, unsure.paper_item) == (None, None)
    assert not Case.objects.filter(
        pk__in=[one.pk, two.pk], completeness_checked_at__isnull=False
    ).exists()
