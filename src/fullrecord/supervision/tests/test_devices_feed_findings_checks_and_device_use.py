"""From the recording-devices app: footage outside any checkout is a finding, the 告知
mark pre-fills the footage review, and checkouts are the dashboard's device use."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fullrecord.devices import services as device_services
from fullrecord.devices.tests.helpers import check_out, footage, register
from fullrecord.media.models import MediaItem
from fullrecord.supervision import figures, findings, services
from fullrecord.supervision.choices import SampleKind
from fullrecord.supervision.models import SampleEntry


def _outside(b):
    today = timezone.localdate()
    found = {g.key: g for g in findings.all_findings(b.county, today - timedelta(days=5), today)}
    return found["outside_checkout"]


def test_footage_outside_any_checkout_is_listed_and_inside_is_not(
    bureau, django_capture_on_commit_callbacks
):
    b = bureau
    camera = register(b, "DSJ-0301")
    with django_capture_on_commit_callbacks(execute=True):
        # Recorded before the camera went out: outside any window, and on a day of the
        # period whatever the hour the test runs (now + 2 h may already be tomorrow).
        outside = footage(
            b.officer,
            "out.mp4",
            device_number="DSJ-0301",
            device_time=timezone.now() - timedelta(days=1),
        )
    check_out(camera, b.officer)
    with django_capture_on_commit_callbacks(execute=True):
        inside = footage(b.officer, "in.mp4", device_number="DSJ-0301", device_time=timezone.now())
    device_services.checkin_device(camera.checkouts.get(), actor=b.officer)

    listed = {f.item_id for f in _outside(b).findings}

    assert outside.pk in listed
    assert inside.pk not in listed


def test_a_notice_mark_prefills_the_footage_checklist(bureau, django_capture_on_commit_callbacks):
    b = bureau
    with django_capture_on_commit_callbacks(execute=True):
        marked = footage(b.officer, "a.mp4", device_number="DSJ-0302", device_time=timezone.now())
        bare = footage(b.officer, "b.mp4", device_number="DSJ-0303", device_time=timezone.now())
    MediaItem.objects.filter(pk__in=[marked.pk, bare.pk]).update(duration=30.0)
    device_services.add_mark(
        MediaItem.objects.get(pk=marked.pk), actor=b.officer, at_seconds=2, kind="notice"
    )
    plan = services.create_plan(
        actor=b.inspector,
        title="告知检查",
        period_start=timezone.localdate() - timedelta(days=5),
        period_end=timezone.localdate(),
        footage_per_stratum=10,
        media_kinds=["video", "audio", "photo", "other"],  # the fake bytes analyse as other
    )
    services.start_plan(plan, actor=b.inspector)
    draw = services.draw_sample(plan, actor=b.inspector)

    def notice(item):
        entry = SampleEntry.objects.get(draw=draw, item=item, kind=SampleKind.FOOTAGE)
        review = services.open_review(entry, actor=b.inspector)
        return {c["check"]: c["ok"] for c in review.machine_findings}["notice"], review

    ok, review = notice(marked)
    assert ok is True
    assert review.scores.get(item__machine_check="notice").answer == "yes"
    ok, review = notice(bare)
    assert ok is False
    assert review.scores.get(item__machine_check="notice").answer == "no"


def test_checkouts_are_counted_per_section_and_officer(bureau):
    b = bureau
    camera = register(b, "DSJ-0304")
    check_out(camera, b.officer)

    figures.refresh()
    today = timezone.localdate()
    rows, total = figures.figures(b.county, start=today.replace(day=1), end=today)
    officers, _t = figures.figures(b.county, start=today.replace(day=1), end=today, group="officer")

    assert {r.key: r.values["checkouts"] for r in rows}["执法一科"] == 1
    assert {r.key: r.values["checkouts"] for r in officers}["officer"] == 1
