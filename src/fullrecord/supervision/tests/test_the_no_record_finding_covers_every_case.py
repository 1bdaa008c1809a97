"""第十八条第一项: "stages with no written or audiovisual record" looks at every case of the
period, not the newest few hundred, and asks the database the same number of questions
however many cases there are."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fullrecord.cases.choices import Stage
from fullrecord.cases.models import Case
from fullrecord.core.testing.factories import CaseFactory
from fullrecord.media.models import CaseMediaLink
from fullrecord.media.services import link_to_case
from fullrecord.supervision import checks, findings
from fullrecord.supervision.tests.world import make_item


def _cases(bureau, count: int, *, days_ago: int, first: int) -> list[Case]:
    """``count`` bare cases at discovery, made in one statement (the test is about many)."""
    cause = CaseFactory.build().cause
    cause.save()
    day = timezone.localdate() - timedelta(days=days_ago)
    return Case.objects.bulk_create(
        CaseFactory.build(
            number=f"QH-NR-{first + n:05d}",
            cause=cause,
            org_unit=bureau.section1,
            created_by=bureau.head,
            discovered_on=day,
        )
        for n in range(count)
    )


def _with_footage(bureau, cases: list[Case]) -> None:
    item = make_item(bureau.officer, 1)
    CaseMediaLink.objects.bulk_create(
        CaseMediaLink(case=case, item=item, stage="discovery", linked_by=bureau.officer)
        for case in cases
    )


def _no_record(bureau):
    today = timezone.localdate()
    return findings.all_findings(
        bureau.county, today - timedelta(days=60), today, kind="no_record", first=20
    )[0]


def test_the_oldest_of_more_than_five_hundred_cases_is_found(bureau):
    oldest = _cases(bureau, 1, days_ago=50, first=0)[0]
    _with_footage(bureau, _cases(bureau, 520, days_ago=5, first=1))

    group = _no_record(bureau)

    assert group.count == 1
    assert [f.case_id for f in group.findings] == [oldest.pk]
    assert group.findings[0].detail == str(Stage.DISCOVERY.label)


def test_finding_them_takes_as_many_queries_for_six_hundred_cases_as_for_six(bureau):
    _cases(bureau, 6, days_ago=20, first=0)
    with CaptureQueriesContext(connection) as few:
        small = _no_record(bureau)
        [f.title for f in small.fetch(0, 5)]
    _cases(bureau, 600, days_ago=20, first=100)
    with CaptureQueriesContext(connection) as many:
        large = _no_record(bureau)
        [f.title for f in large.fetch(0, 5)]

    assert (small.count, large.count) == (6, 606)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_database_finds_what_the_review_s_check_finds_case_by_case(world):
    b = world.bureau
    link_to_case(world.items1[0], world.cases1[0], stage="discovery", actor=b.officer)
    link_to_case(world.items2[0], world.cases2[1], stage="discovery", actor=b.other_officer)

    found = {f.case_id for f in _no_record(b).fetch(0, 100)}

    every = world.cases1 + world.cases2
    assert found == {c.pk for c in every if checks.stages_without_records(c)}
    assert world.cases1[0].pk not in found
