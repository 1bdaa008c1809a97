"""Who reads which entries: own actions, a section's, a bureau's, and nothing beyond."""

from __future__ import annotations

import pytest

from fullrecord.audit.access import can_search, visible_entries
from fullrecord.core.testing.personas import PERSONAS

from .logbook import EXPECTED, write_logbook


@pytest.fixture
def book(bureau):
    return write_logbook(bureau)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_exactly_their_entries(bureau, book, persona):
    user = getattr(bureau, persona)

    assert book.names(visible_entries(user)) == EXPECTED[persona]


def test_an_officer_sees_their_own_sign_ins_but_not_failures_against_them(bureau, book):
    names = book.names(visible_entries(bureau.officer))

    assert "failed_officer" not in names


def test_a_section_head_sees_ingests_of_their_section_records(bureau, book):
    seen = visible_entries(bureau.head).filter(action="media.ingest")

    assert set(seen.values_list("object_id", flat=True)) == {str(book.item1.pk)}


def test_an_inactive_user_reads_nothing(bureau, book):
    bureau.leader.is_active = False
    bureau.leader.save()

    assert not can_search(bureau.leader)
    assert not visible_entries(bureau.leader).exists()


def test_a_user_without_a_role_may_not_search(bureau):
    assert not can_search(bureau.nobody)
    assert can_search(bureau.archivist)


def test_an_access_request_opens_a_record_but_not_its_trail(bureau, book):
    """第十七条: the head of section one may view section two's case under an approved
    request; who else handled that case stays out of their audit search."""
    from fullrecord.access.services import decide, file_request
    from fullrecord.cases.access import visible_cases

    request = file_request(requester=bureau.head, reason="对比同类案件", case=book.case2)
    decide(request, actor=bureau.leader, approve=True)

    assert visible_cases(bureau.head).filter(pk=book.case2.pk).exists()
    assert book.names(visible_entries(bureau.head)) == EXPECTED["head"]
