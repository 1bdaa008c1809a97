"""The one notification service: messages to people and roles, sent once per key."""

from __future__ import annotations

from fullrecord.accounts.choices import Role
from fullrecord.notifications.models import Notification
from fullrecord.notifications.services import mark_read, notify, notify_role, unread_count


def test_a_role_is_told_through_each_active_holder(bureau):
    sent = notify_role(Role.LEADER, "有新的查阅申请")

    assert sent == 2  # the leader and the other county's leader
    assert {n.recipient for n in Notification.objects.all()} == {
        bureau.leader,
        bureau.outsider_leader,
    }


def test_an_inactive_user_is_not_told(bureau):
    bureau.leader.is_active = False
    bureau.leader.save()

    notify_role(Role.LEADER, "x")

    assert not Notification.objects.filter(recipient=bureau.leader).exists()


def test_the_same_key_is_sent_once_while_unread(bureau):
    assert notify([bureau.admin], "日历缺失", key="calendar-missing-2031") == 1
    assert notify([bureau.admin], "日历缺失", key="calendar-missing-2031") == 0

    mark_read(bureau.admin)

    assert notify([bureau.admin], "日历缺失", key="calendar-missing-2031") == 1


def test_unread_counts_and_marking_read_are_per_person(bureau):
    notify([bureau.officer, bureau.head], "a")
    notify([bureau.officer], "b")

    assert unread_count(bureau.officer) == 2
    mark_read(bureau.officer)
    assert unread_count(bureau.officer) == 0
    assert unread_count(bureau.head) == 1


def test_a_long_message_is_cut_to_fit(bureau):
    notify([bureau.officer], "长" * 600)

    assert len(Notification.objects.get().message) == 500


def test_the_page_lists_only_ones_own_notifications(bureau, client):
    notify([bureau.officer], "给执法人员")
    notify([bureau.head], "给科长")
    client.force_login(bureau.officer)

    response = client.get("/notifications/")

    assert [n.message for n in response.context["items"]] == ["给执法人员"]


def test_marking_all_read_from_the_page(bureau, client):
    notify([bureau.officer], "a")
    client.force_login(bureau.officer)

    assert client.get("/notifications/read/").status_code == 405
    client.post("/notifications/read/")

    assert unread_count(bureau.officer) == 0
