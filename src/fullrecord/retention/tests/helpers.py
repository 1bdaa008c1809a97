"""Evidence and cases in the states retention cares about, for the tests of this app."""

from __future__ import annotations

import os
from datetime import date

from django.db import transaction
from django.utils import timezone

from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import Case, CaseTransition
from fullrecord.core.testing.factories import CaseFactory
from fullrecord.media import services as media_services
from fullrecord.media.models import MediaItem
from fullrecord.media.tests.evidence import ingest_bytes


def footage(user, name: str = "clip.mp4", size: int = 2048) -> MediaItem:
    """A new original with random bytes (its own hash) received now."""
    return ingest_bytes(user, os.urandom(size), name=name).item


def case_of(bureau, **fields) -> Case:
    case = CaseFactory(org_unit=bureau.section1, created_by=bureau.head, **fields)
    case.assignments.create(officer=bureau.officer, is_lead=True)
    return case


def link(item: MediaItem, case: Case, actor) -> None:
    media_services.link_to_case(item, case, stage=case.stage, actor=actor)


@transaction.atomic
def end_case(case: Case, actor, *, state: str = CaseState.ARCHIVED, decided: bool = True) -> None:
    """The case file closed for good today: as the workflow leaves it (a decision made or
    not, then archived or ended early), without walking every stage's paperwork."""
    if decided:
        CaseTransition.objects.create(
            case=case, name="decide", from_state=case.state, to_state=CaseState.DECIDED, actor=actor
        )
    Case.objects.filter(pk=case.pk).update(state=state)
    CaseTransition.objects.create(
        case=case, name="archive", from_state=CaseState.CLOSED, to_state=state, actor=actor
    )
    case.refresh_from_db()


def keep_until(item: MediaItem) -> date | None:
    item.refresh_from_db()
    return item.retention.keep_until


def today() -> date:
    return timezone.localdate()
