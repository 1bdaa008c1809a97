"""The administrator edits the document catalogue: a type's approval chain and whether a
stage requires it. Unknown approvers or parts are refused with the known ones named;
a change is audited, types are retired rather than deleted, and the cases' completeness
summaries are marked for recomputation."""

from __future__ import annotations

import json

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.cases.models import Case
from fullrecord.core.testing.factories import CaseFactory
from fullrecord.documents.models import DocumentType

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw", full_name="root")
    client.force_login(admin)
    return client


def form(doc_type: DocumentType, **changes) -> dict:
    data = {
        "name": doc_type.name,
        "stage": doc_type.stage,
        "required": "on" if doc_type.required else "",
        "source": doc_type.source,
        "numbered": "on" if doc_type.numbered else "",
        "number_word": doc_type.number_word,
        "fields": json.dumps(doc_type.fields),
        "two_officers": "on" if doc_type.two_officers else "",
        "approval_roles": json.dumps(doc_type.approval_roles),
        "order": doc_type.order,
        "active": "on" if doc_type.active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_the_chain_is_changed_audited_and_completeness_marked_stale(admin_client, bureau):
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head)
    Case.objects.filter(pk=case.pk).update(completeness_checked_at="2026-01-01T00:00:00Z")
    doc_type = DocumentType.objects.get(code="interview_record")
    url = f"/admin/documents/documenttype/{doc_type.pk}/change/"

    response = admin_client.post(url, form(doc_type, approval_roles='["section_head", "leader"]'))

    assert response.status_code == 302, response.content[:2000]
    doc_type.refresh_from_db()
    assert doc_type.approval_roles == ["section_head", "leader"]
    assert AuditEntry.objects.filter(action="admin.change", object_id=str(doc_type.pk)).exists()
    assert Case.objects.get(pk=case.pk).completeness_checked_at is None


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [("approval_roles", '["officer"]', "section_head"), ("fields", '["colour"]', "colour")],
)
def test_unknown_approvers_or_parts_are_refused_naming_them(admin_client, field, value, named):
    doc_type = DocumentType.objects.get(code="interview_record")
    before = (doc_type.approval_roles, doc_type.fields)

    response = admin_client.post(
        f"/admin/documents/documenttype/{doc_type.pk}/change/", form(doc_type, **{field: value})
    )

    assert response.status_code == 200
    assert named in response.content.decode()
    doc_type.refresh_from_db()
    assert (doc_type.approval_roles, doc_type.fields) == before


def test_a_type_is_retired_not_deleted(admin_client):
    doc_type = DocumentType.objects.get(code="interview_record")
    response = admin_client.post(
        f"/admin/documents/documenttype/{doc_type.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert DocumentType.objects.filter(pk=doc_type.pk).exists()
