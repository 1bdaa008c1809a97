"""第十二条: routine footage six months; evidence as long as its case file; the longest wins,
and the date with its reason follows links, unlinks and archiving."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from fullrecord.cases.choices import CaseState
from fullrecord.media.models import CaseMediaLink, MediaItem
from fullrecord.retention import services
from fullrecord.retention.choices import Outcome, Rule
from fullrecord.retention.models import CaseFileTerm

from .helpers import case_of, end_case, footage, keep_until, link, today


def test_routine_footage_falls_due_after_183_days(bureau):
    item = footage(bureau.officer)
    assert keep_until(item) == today() + timedelta(days=183)
    assert item.retention.rule == Rule.ROUTINE
    assert "183" in services.describe(item.retention)
    with time_machine.travel(timezone.now() + timedelta(days=183), tick=False):
        assert not services.due_items().filter(pk=item.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=184), tick=False):
        assert services.due_items().filter(pk=item.pk).exists()


def test_evidence_of_an_open_case_never_falls_due_until_it_is_archived(bureau):
    item = footage(bureau.officer)
    case = case_of(bureau)
    link(item, case, bureau.officer)
    item.refresh_from_db()
    assert item.retention.forever and item.retention.rule == Rule.CASE_OPEN
    assert case.number in services.describe(item.retention)
    assert item.keep_until is None
    with time_machine.travel(timezone.now() + timedelta(days=3650), tick=False):
        assert not services.due_items().filter(pk=item.pk).exists()


def test_a_penalty_case_keeps_its_evidence_thirty_years_from_archiving(bureau):
    item = footage(bureau.officer)
    case = case_of(bureau)
    link(item, case, bureau.officer)
    end_case(case, bureau.archivist)
    item.refresh_from_db()
    assert item.retention.rule == Rule.CASE_FILE
    assert item.keep_until == services.add_years(today(), 30)
    assert "三十年" in services.describe(item.retention) or "30" in services.describe(
        item.retention
    )
    with time_machine.travel(timezone.now() + timedelta(days=365 * 29), tick=False):
        services.list_due()
        assert not services.due_items().filter(pk=item.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=365 * 30 + 10), tick=False):
        assert services.due_items().filter(pk=item.pk).exists()


def test_a_case_ended_without_a_decision_keeps_ten_years(bureau):
    item = footage(bureau.officer)
    case = case_of(bureau)
    link(item, case, bureau.officer)
    end_case(case, bureau.head, state=CaseState.WITHDRAWN, decided=False)
    assert keep_until(item) == services.add_years(today(), 10)


def test_the_longest_term_wins_and_permanent_beats_every_date(bureau):
    item = footage(bureau.officer)
    short, long_ = case_of(bureau), case_of(bureau)
    link(item, short, bureau.officer)
    link(item, long_, bureau.officer)
    end_case(short, bureau.head, state=CaseState.NOT_FILED, decided=False)
    end_case(long_, bureau.archivist)
    item.refresh_from_db()
    assert item.keep_until == services.add_years(today(), 30)
    assert item.retention.case == long_
    permanent = CaseFileTerm.objects.get(years__isnull=True)
    permanent.active = True
    permanent.save()
    permanent.causes.add(long_.cause)
    services.refresh(item)
    item.refresh_from_db()
    assert item.retention.forever and item.retention.rule == Rule.PERMANENT
    assert item.keep_until is None


def test_terms_are_per_cause_when_the_administrator_says_so(bureau):
    item = footage(bureau.officer)
    case = case_of(bureau)
    link(item, case, bureau.officer)
    longer = CaseFileTerm.objects.create(name="五十年", outcome=Outcome.PENALTY, years=50)
    longer.causes.add(case.cause)
    other = case_of(bureau)
    longer_elsewhere = CaseFileTerm.objects.create(name="八十年", outcome=Outcome.PENALTY, years=80)
    longer_elsewhere.causes.add(other.cause)
    end_case(case, bureau.archivist)
    assert keep_until(item) == services.add_years(today(), 50)


def test_unlinking_gives_the_routine_term_back(bureau):
    item = footage(bureau.officer)
    case = case_of(bureau)
    link(item, case, bureau.officer)
    CaseMediaLink.objects.filter(item=item).delete()
    item.refresh_from_db()
    assert item.retention.rule == Rule.ROUTINE
    assert item.keep_until == today() + timedelta(days=183)


def test_an_upgrade_computes_dates_for_items_that_had_none(bureau):
    from django.core.management import call_command

    item = footage(bureau.officer)
    item.retention.delete()
    MediaItem.objects.filter(pk=item.pk).update(keep_until=None)
    call_command("retention_recompute")
    assert keep_until(item) == today() + timedelta(days=183)
