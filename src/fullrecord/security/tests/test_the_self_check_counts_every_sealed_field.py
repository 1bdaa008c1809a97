"""Self-check EP-7 judges every sealed column of every model (``security.sealed``), not
the parties' ID numbers alone: a plain value planted in any of them — a party's phone, a
service address, a draft's parts, an issued document's content — fails it and names
where; sealed values pass."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.utils import translation

from fullrecord.cases import changes
from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import CaseChange
from fullrecord.core.demo import person_id
from fullrecord.documents.tests.helpers import draft, issued, ready_case
from fullrecord.documents.tests.test_the_address_of_service_is_sealed import served
from fullrecord.security import compliance, sealed

pytestmark = pytest.mark.django_db


def ep7() -> tuple[str, str]:
    [item] = [r for r in compliance.run() if r.control.code == "EP-7"]
    return item.result, item.evidence


def plant(table: str, column: str, value: str, pk: int, *, json_column: bool = False) -> None:
    cast = "::jsonb" if json_column and connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {column} = %s{cast} WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def test_the_registry_finds_every_sealed_field_of_the_models():
    labels = {column.label for column in sealed.columns()}

    assert {
        "cases.party.id_number",
        "cases.party.address",
        "cases.party.contact",
        "documents.service.address",
        "documents.document.content",
        "documents.document.frozen",
    } <= labels
    assert "cases.casechange.changes" in {holder.label for holder in sealed.holders()}


def test_sealed_values_pass_and_name_the_fields_counted(bureau):
    assert ep7()[0] == "n/a"
    case = ready_case(bureau, CaseState.STOPPED)
    draft(case, "stop_order", bureau.officer)

    with translation.override("zh-hans"):
        result, evidence = ep7()

    assert result == "pass"
    assert "文书·内容" in evidence and "当事人·证件号码" in evidence


def test_a_plain_phone_number_of_a_party_fails_it(bureau):
    party = ready_case(bureau, CaseState.STOPPED).parties.get()
    assert ep7()[0] == "pass"

    plant("cases_party", "contact", "13800001234", party.pk)

    result, evidence = ep7()
    assert result == "fail" and "(cases.party.contact) 1" in evidence


def test_a_plain_service_address_fails_it(bureau):
    service = served(bureau)
    assert ep7()[0] == "pass"

    plant("documents_service", "address", "清河县东关村一组12号", service.pk)

    result, evidence = ep7()
    assert result == "fail" and "(documents.service.address) 1" in evidence


def test_a_draft_holding_its_parts_in_plain_text_fails_it(bureau):
    document = draft(ready_case(bureau, CaseState.STOPPED), "stop_order", bureau.officer)
    assert ep7()[0] == "pass"

    plain = json.dumps({"party": "王某，住址：清河县东关村一组12号"}, ensure_ascii=False)
    plant("documents_document", "content", plain, document.pk, json_column=True)

    result, evidence = ep7()
    assert result == "fail" and "(documents.document.content) 1" in evidence


def test_issued_content_in_plain_text_fails_it(bureau):
    document = issued(ready_case(bureau, CaseState.STOPPED), "stop_order", bureau)
    assert ep7()[0] == "pass"

    plant("documents_document", "frozen", '{"title": "x"}', document.pk, json_column=True)

    result, evidence = ep7()
    assert result == "fail" and "(documents.document.frozen) 1" in evidence


def test_a_changes_waiting_value_in_plain_text_fails_it(bureau):
    party = ready_case(bureau, CaseState.HEARING).parties.get()
    change = changes.change_party(
        party, actor=bureau.officer, changes={"id_number": person_id(77)}, reason="号码录错"
    )
    assert ep7()[0] == "pass"

    item = change.changes["id_number"]
    item.update(value=person_id(77), sealed=False)
    CaseChange.objects.filter(pk=change.pk).update(changes={"id_number": item})

    result, evidence = ep7()
    assert result == "fail" and "(cases.casechange.changes) 1" in evidence
