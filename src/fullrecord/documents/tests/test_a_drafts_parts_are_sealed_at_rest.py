"""个人信息保护法, 密评: a draft filled from the case quotes its party's address, and an
issued document's frozen content quotes it again; both are sealed with SM4 at rest, read
back as written, are still shown to those who reach the case and to no one else, and
rows the release before stored in plain text are sealed in place by the upgrade — the
issued PDF staying the same bytes."""

from __future__ import annotations

import hashlib
import importlib
import json

import pytest
from django.apps import apps
from django.db import connection

from fullrecord.cases.choices import CaseState
from fullrecord.documents import render
from fullrecord.documents.models import Document

from .helpers import draft, issued, ready_case

pytestmark = pytest.mark.django_db
ADDRESS = "清河县东关村一组12号"


def raw(pk: int, column: str = "content") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM documents_document WHERE id = %s", [pk])  # noqa: S608
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def case_with_address(bureau, state=CaseState.STOPPED):
    case = ready_case(bureau, state)
    party = case.parties.get()
    party.address = ADDRESS
    party.save()
    return case


def plant_plain(pk: int, content: dict, frozen: dict) -> None:
    """What the release before stored: the parts in plain JSON."""
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE documents_document SET content = %s{cast}, frozen = %s{cast} WHERE id = %s",  # noqa: S608
            [json.dumps(content, ensure_ascii=False), json.dumps(frozen, ensure_ascii=False), pk],
        )


def upgrade() -> None:
    migration = importlib.import_module(
        "fullrecord.documents.migrations.0007_document_content_sealed_with_sm4"
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.seal_existing(apps, editor)


def test_a_draft_filled_from_the_case_holds_the_address_sealed(bureau):
    document = draft(case_with_address(bureau), "stop_order", bureau.officer)

    assert raw(document.pk).startswith('"sm4$')
    assert ADDRESS not in raw(document.pk)
    assert ADDRESS in Document.objects.get(pk=document.pk).content["party"]


def test_the_issued_content_is_sealed_and_the_pdf_is_made_from_it(bureau):
    document = issued(case_with_address(bureau), "stop_order", bureau)

    assert raw(document.pk, "frozen").startswith('"sm4$')
    assert ADDRESS not in raw(document.pk, "frozen")
    stored = Document.objects.get(pk=document.pk)
    remade = render.pdf_bytes(stored.frozen, at=stored.issued_at)
    assert hashlib.sha256(remade).hexdigest() == stored.sha256


def test_those_who_reach_the_case_read_the_parts_and_others_get_404(bureau, client, api_client):
    document = draft(case_with_address(bureau), "stop_order", bureau.officer)

    api_client.force_authenticate(bureau.officer)
    assert ADDRESS in api_client.get(f"/api/documents/{document.pk}/").json()["content"]["party"]
    client.force_login(bureau.officer)
    assert ADDRESS in client.get(f"/documents/{document.pk}/").content.decode()

    api_client.force_authenticate(bureau.other_officer)
    assert api_client.get(f"/api/documents/{document.pk}/").status_code == 404
    client.force_login(bureau.other_officer)
    page = client.get(f"/documents/{document.pk}/")
    assert page.status_code == 404 and ADDRESS not in page.content.decode()


def test_parts_the_release_before_stored_in_plain_text_are_sealed_by_the_upgrade(bureau):
    case = case_with_address(bureau)
    document = issued(case, "stop_order", bureau)
    working = draft(case, "stop_order", bureau.officer)
    before = {pk: Document.objects.get(pk=pk) for pk in (document.pk, working.pk)}
    for pk, old in before.items():
        plant_plain(pk, old.content, old.frozen)
    assert ADDRESS in raw(document.pk) and ADDRESS in raw(document.pk, "frozen")

    upgrade()
    sealed = raw(document.pk), raw(document.pk, "frozen")
    upgrade()  # a re-run after an interruption leaves sealed rows as they are

    assert sealed == (raw(document.pk), raw(document.pk, "frozen"))
    for pk, old in before.items():
        assert ADDRESS not in raw(pk) and raw(pk).startswith('"sm4$')
        now = Document.objects.get(pk=pk)
        assert (now.content, now.frozen) == (old.content, old.frozen)
    stored = Document.objects.get(pk=document.pk)
    remade = render.pdf_bytes(stored.frozen, at=stored.issued_at)
    assert hashlib.sha256(remade).hexdigest() == stored.sha256  # the PDF stays as issued
