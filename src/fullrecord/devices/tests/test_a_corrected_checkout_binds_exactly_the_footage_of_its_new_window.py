"""Issue 11: footage is bound to the checkout window it was recorded in "at ingest and
again when a checkout is corrected". Every correction of the window, holder, task or case
binds exactly the footage inside the new window and takes back from what fell out what
the binding had given it (officer, task, case link), keeping what people set by hand;
each change is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit.models import AuditEntry
from fullrecord.devices.models import Checkout, FootageBinding
from fullrecord.devices.services import checkin_device, correct_checkout
from fullrecord.media import services as media_services
from fullrecord.media.models import CaseMediaLink, MediaItem

from .helpers import check_out, footage, open_case, register

BASE = timezone.now().replace(microsecond=0) - timedelta(hours=10)


def at(minutes: float):
    return BASE + timedelta(minutes=minutes)


@pytest.fixture
def world(bureau, django_capture_on_commit_callbacks):
    """The officer's checkout for case1 over [BASE, BASE+2h], and four records of the
    camera: before (−60 min), inside (30, 90 min) and after (180 min) the window."""
    case1 = open_case(bureau)
    camera = register(bureau, "DSJ-0901")
    with django_capture_on_commit_callbacks(execute=True):
        checkout = check_out(camera, bureau.officer, task_kind="case", case=case1).checkout
        checkout = checkin_device(checkout, actor=bureau.officer)
        checkout = correct_checkout(
            checkout,
            actor=bureau.head,
            reason="补录",
            changes={"out_at": at(0), "in_at": at(120)},
        )
        items = {
            name: footage(bureau.head, f"{name}.mp4", device_number="DSJ-0901", device_time=t)
            for name, t in {"before": at(-60), "a": at(30), "b": at(90), "after": at(180)}.items()
        }
    for name in ("a", "b"):
        assert bound(items[name]) == checkout.pk
    assert bound(items["before"]) is None and bound(items["after"]) is None
    return checkout, case1, items


def bound(item) -> int | None:
    return FootageBinding.objects.get(item=item).checkout_id


def fresh(item) -> MediaItem:
    return MediaItem.objects.get(pk=item.pk)


def cases_of(item) -> set[int]:
    return set(CaseMediaLink.objects.filter(item=item).values_list("case_id", flat=True))


def correct(bureau, checkout, capture, **changes) -> Checkout:
    with capture(execute=True):
        return correct_checkout(checkout, actor=bureau.head, reason="更正", changes=changes)


def test_a_shrunk_window_unbinds_what_falls_out(bureau, world, django_capture_on_commit_callbacks):
    checkout, case1, items = world
    assert fresh(items["b"]).officer == bureau.officer and cases_of(items["b"]) == {case1.pk}

    correct(bureau, checkout, django_capture_on_commit_callbacks, in_at=at(60))

    assert bound(items["a"]) == checkout.pk and bound(items["b"]) is None
    b = fresh(items["b"])
    assert b.officer is None and cases_of(b) == set() and b.unlinked
    a = fresh(items["a"])
    assert a.officer == bureau.officer and cases_of(a) == {case1.pk}
    undone = AuditEntry.objects.get(action="media.unbind", object_id=str(b.pk))
    assert undone.data["changes"]["case"] == [case1.number, ""]


def test_an_extended_window_binds_what_falls_in(bureau, world, django_capture_on_commit_callbacks):
    checkout, case1, items = world

    correct(bureau, checkout, django_capture_on_commit_callbacks, in_at=at(200))

    after = fresh(items["after"])
    assert bound(after) == checkout.pk
    assert after.officer == bureau.officer and cases_of(after) == {case1.pk}
    assert bound(items["before"]) is None
    assert AuditEntry.objects.filter(action="media.bind", object_id=str(after.pk)).exists()


def test_a_moved_window_binds_the_new_stretch_and_unbinds_the_old(
    bureau, world, django_capture_on_commit_callbacks
):
    checkout, case1, items = world

    correct(bureau, checkout, django_capture_on_commit_callbacks, out_at=at(-90), in_at=at(45))

    assert bound(items["before"]) == checkout.pk and bound(items["a"]) == checkout.pk
    assert bound(items["b"]) is None and bound(items["after"]) is None
    assert cases_of(items["before"]) == {case1.pk} and cases_of(items["b"]) == set()


def test_a_changed_case_moves_the_footage_to_the_new_case(
    bureau, world, django_capture_on_commit_callbacks
):
    checkout, case1, items = world
    case2 = open_case(bureau)

    correct(bureau, checkout, django_capture_on_commit_callbacks, case=case2)

    for name in ("a", "b"):
        assert cases_of(items[name]) == {case2.pk}
        assert fresh(items[name]).officer == bureau.officer
    assert cases_of(items["after"]) == set()
    entry = AuditEntry.objects.get(
        action="devices.correct_checkout", data__after__case=case2.number
    )
    assert entry.data["before"]["case"] == case1.number


def test_a_changed_task_replaces_the_task_the_binding_gave(
    bureau, django_capture_on_commit_callbacks
):
    camera = register(bureau, "DSJ-0902")
    with django_capture_on_commit_callbacks(execute=True):
        checkout = check_out(camera, bureau.officer, task_kind="survey").checkout
        item = footage(
            bureau.officer2, "s.mp4", device_number="DSJ-0902", device_time=checkout.out_at
        )
    first = fresh(item).task_reference
    assert first == checkout.task_reference

    correct(bureau, checkout, django_capture_on_commit_callbacks, task_kind="interview")

    now = Checkout.objects.get(pk=checkout.pk).task_reference
    assert now != first and fresh(item).task_reference == now


def test_what_people_set_by_hand_stays_when_the_footage_falls_out(
    bureau, world, django_capture_on_commit_callbacks
):
    checkout, case1, items = world
    other = open_case(bureau)
    with django_capture_on_commit_callbacks(execute=True):
        media_services.link_to_case(items["b"], other, stage=other.stage, actor=bureau.officer)
        media_services.correct_classification(
            items["a"],
            actor=bureau.head,
            changes={"officer": bureau.officer2},
            reason="实为officer2拍摄",
        )

    correct(bureau, checkout, django_capture_on_commit_callbacks, in_at=at(20))

    assert bound(items["a"]) is None and bound(items["b"]) is None
    assert cases_of(items["b"]) == {other.pk}  # the hand-made link stays; the binding's goes
    assert fresh(items["a"]).officer == bureau.officer2  # set by hand: kept
    assert fresh(items["b"]).officer is None  # the binding's: taken back
