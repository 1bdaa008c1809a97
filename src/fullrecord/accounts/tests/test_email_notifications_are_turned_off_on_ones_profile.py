"""Each person turns the e-mail copy of their notifications off (and on again) on their
own profile page; the change is recorded, and nobody can change someone else's."""

from __future__ import annotations

from fullrecord.accounts.models import User
from fullrecord.audit.models import AuditEntry


def test_the_profile_offers_to_stop_the_emails(bureau, client, settings):
    settings.FULLRECORD_NOTIFICATION_MAIL = True
    bureau.officer.email = "officer@example.gov.cn"
    bureau.officer.save(update_fields=["email"])
    client.force_login(bureau.officer)

    page = client.get("/accounts/profile/").content.decode()

    assert "officer@example.gov.cn" in page
    assert "邮件通知" in page and "不再发送邮件" in page


def test_turning_them_off_and_on_is_recorded(bureau, client):
    client.force_login(bureau.officer)

    assert client.post("/accounts/email-notifications/", {"on": "0"}).status_code == 302
    assert not User.objects.get(pk=bureau.officer.pk).email_notifications
    page = client.get("/accounts/profile/").content.decode()
    assert "恢复邮件通知" in page

    client.post("/accounts/email-notifications/", {"on": "1"})
    assert User.objects.get(pk=bureau.officer.pk).email_notifications
    entries = AuditEntry.objects.filter(action="account.email_notifications")
    assert [e.data["on"] for e in entries.order_by("seq")] == [False, True]
    assert all(e.actor == bureau.officer and e.object_id == str(bureau.officer.pk) for e in entries)


def test_someone_elses_setting_cannot_be_changed(bureau, client):
    client.force_login(bureau.other_officer)

    # the attacker names the officer's id: the endpoint only ever changes the caller's own
    client.post(
        "/accounts/email-notifications/",
        {"on": "0", "user": bureau.officer.pk, "pk": bureau.officer.pk},
    )

    assert User.objects.get(pk=bureau.officer.pk).email_notifications
    assert not User.objects.get(pk=bureau.other_officer.pk).email_notifications


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(bureau, client):
    response = client.post("/accounts/email-notifications/", {"on": "0"})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert User.objects.filter(email_notifications=False).count() == 0
