"""密评 key management: ``fullrecord rotate_sm4_key`` seals every sealed value again under
a new personal-data key held outside the database — parties, service addresses, drafts
and issued content, the value a change waits with — while the old key, kept for reading,
still opens what is not done yet; each batch is audited, a stopped run is picked up by
the next, the blind index follows the new key, and a value under a key nobody kept
stops the run without losing anything."""

from __future__ import annotations

import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fullrecord.audit.models import AuditEntry
from fullrecord.cases import changes
from fullrecord.cases.choices import CaseState, ChangeState
from fullrecord.cases.filtersets import CaseFilterSet
from fullrecord.cases.models import Case, CaseChange, Party
from fullrecord.core.demo import person_id
from fullrecord.documents.models import Document, Service
from fullrecord.documents.tests.helpers import draft, ready_case
from fullrecord.documents.tests.test_the_address_of_service_is_sealed import served
from fullrecord.security import keys, rotation, sealed, sm4

pytestmark = pytest.mark.django_db
ADDRESS = "清河县东关村一组12号"


@pytest.fixture
def old_key(settings, tmp_path):
    path = tmp_path / "old-key"
    path.write_text(secrets.token_hex(32))
    settings.FULLRECORD_DATA_KEY_FILE = str(path)
    settings.FULLRECORD_DATA_KEY_PREVIOUS_FILES = []
    keys.forget()
    yield path
    keys.forget()


def new_key(settings, tmp_path, old_path, *, keep_old: bool = True) -> str:
    path = tmp_path / "new-key"
    path.write_text(secrets.token_hex(32))
    settings.FULLRECORD_DATA_KEY_FILE = str(path)
    settings.FULLRECORD_DATA_KEY_PREVIOUS_FILES = [str(old_path)] if keep_old else []
    keys.forget()
    return sm4.key_id()


def raw_values() -> list[str]:
    """Every sealed value as stored, in every registered column."""
    found = []
    with connection.cursor() as cursor:
        for column in sealed.columns():
            cursor.execute(
                f"SELECT {column._text()} FROM {column.model._meta.db_table}"  # noqa: S608
            )
            found += [str(v).strip('"') for (v,) in cursor.fetchall() if v not in (None, "")]
    return [v for v in found if v not in ("{}", "[]")]


def world(bureau) -> dict:
    case = ready_case(bureau, CaseState.HEARING)
    party = case.parties.get()
    party.address, party.contact = ADDRESS, "13800001234"
    party.save()
    document = draft(case, "stop_order", bureau.officer)
    service = served(bureau)
    waiting = changes.change_party(
        party, actor=bureau.officer, changes={"id_number": person_id(77)}, reason="号码录错"
    )
    assert waiting.state == ChangeState.PENDING
    return {
        "party": (party.pk, party.id_number, ADDRESS, "13800001234"),
        "document": (document.pk, Document.objects.get(pk=document.pk).content),
        "service": (service.pk, service.address),
        "change": waiting.pk,
    }


def reads_the_same(made: dict) -> None:
    pk, number, address, contact = made["party"]
    party = Party.objects.get(pk=pk)
    assert (party.id_number, party.address, party.contact) == (number, address, contact)
    pk, content = made["document"]
    assert Document.objects.get(pk=pk).content == content
    pk, address = made["service"]
    assert Service.objects.get(pk=pk).address == address
    item = CaseChange.objects.get(pk=made["change"]).changes["id_number"]
    assert sm4.open_sealed(item["value"]) == person_id(77)


def test_every_value_is_sealed_again_under_the_new_key(bureau, settings, tmp_path, old_key):
    made = world(bureau)
    old = sm4.key_id()
    kid = new_key(settings, tmp_path, old_key)
    reads_the_same(made)  # the old key, kept, still opens what is not done yet
    number = made["party"][1]
    assert CaseFilterSet({"q": number}, queryset=Case.objects.all()).qs.exists()

    call_command("rotate_sm4_key", "--batch", "2")

    assert {sm4.key_id_of(v) for v in raw_values()} == {kid}
    change = CaseChange.objects.get(pk=made["change"])
    assert sm4.key_id_of(change.changes["id_number"]["value"]) == kid
    settings.FULLRECORD_DATA_KEY_PREVIOUS_FILES = []  # the old key file removed
    keys.forget()
    reads_the_same(made)
    assert Party.objects.get(pk=made["party"][0]).id_number_index == sm4.blind_index(number)
    assert CaseFilterSet({"q": number}, queryset=Case.objects.all()).qs.exists()
    batches = AuditEntry.objects.filter(action="security.data_key_resealed")
    assert batches.count() >= 4
    assert all(e.data["key"] == kid and e.data["from"] == [old] for e in batches)
    final = AuditEntry.objects.filter(action="security.data_key_rotated").latest("seq")
    assert final.data["left"] == 0 and final.data["from"] == [old]


def test_a_stopped_rotation_is_finished_by_the_next_run(bureau, settings, tmp_path, old_key):
    made = world(bureau)
    kid = new_key(settings, tmp_path, old_key)

    class Stop(Exception):
        pass

    def stop(label, count):
        raise Stop

    with pytest.raises(Stop):
        rotation.rotate(batch=1, progress=stop)
    assert {sm4.key_id_of(v) for v in raw_values()} != {kid}  # half done
    reads_the_same(made)

    outcome = rotation.rotate(batch=1)

    assert outcome.left == 0 and outcome.total >= 1
    assert {sm4.key_id_of(v) for v in raw_values()} == {kid}
    reads_the_same(made)
    call_command("rotate_sm4_key", "--check")  # nothing left: no error


def test_without_the_old_key_the_run_stops_and_loses_nothing(bureau, settings, tmp_path, old_key):
    made = world(bureau)
    before = sorted(raw_values())
    new_key(settings, tmp_path, old_key, keep_old=False)

    with pytest.raises(CommandError, match="FULLRECORD_DATA_KEY_PREVIOUS_FILES"):
        call_command("rotate_sm4_key")
    with pytest.raises(CommandError, match="left under an earlier key"):
        call_command("rotate_sm4_key", "--check")

    assert sorted(raw_values()) == before
    settings.FULLRECORD_DATA_KEY_FILE = str(old_key)
    keys.forget()
    reads_the_same(made)
