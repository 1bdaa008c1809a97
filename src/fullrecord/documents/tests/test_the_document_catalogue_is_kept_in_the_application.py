"""The document catalogue (文书种类) is kept by the system administrator in the
application's own pages: renamed, required or not, retired (never deleted); each change
recorded and every case's completeness marked for recomputation."""

from __future__ import annotations

import pytest

from fullrecord.audit.models import AuditEntry
from fullrecord.documents import services
from fullrecord.documents.models import DocumentType

pytestmark = pytest.mark.django_db


def test_the_administrator_retires_a_type_on_the_page(client, bureau):
    doc_type = DocumentType.objects.get(code="stop_order")
    client.force_login(bureau.admin)

    response = client.post(
        f"/documents/catalogue/{doc_type.pk}/",
        {"name": doc_type.name, "number_word": doc_type.number_word, "order": doc_type.order},
    )

    assert response.status_code == 302
    doc_type.refresh_from_db()
    assert not doc_type.active and not doc_type.required
    entry = AuditEntry.objects.get(action="document.type_changed")
    assert entry.data["changed"]["active"] == {"from": "True", "to": "False"}


def test_the_catalogue_lists_every_type(client, bureau):
    client.force_login(bureau.admin)

    page = client.get("/documents/catalogue/").content.decode()

    assert "责令停止违法行为通知书" in page


def test_parts_and_numbering_are_not_changed_here(bureau):
    doc_type = DocumentType.objects.get(code="stop_order")
    with pytest.raises(services.DocumentError):
        services.save_document_type(doc_type, actor=bureau.admin, numbered=False)


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin", "officer", "legal"])
def test_nobody_else_changes_the_catalogue(bureau, persona):
    doc_type = DocumentType.objects.get(code="stop_order")
    with pytest.raises(services.DocumentError):
        services.save_document_type(doc_type, actor=getattr(bureau, persona), name="改名")
    assert DocumentType.objects.get(pk=doc_type.pk).name == doc_type.name
