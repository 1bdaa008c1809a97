"""The one notification service: every app that needs to tell someone calls it."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Level, Notification


def notify(
    recipients: Iterable, message: str, *, link: str = "", level: str = Level.INFO, key: str = ""
) -> int:
    """Send ``message`` to each recipient; with ``key``, skip those who have it unread.

    The in-app notification is written in the caller's transaction. When the operator
    named a mail server, an e-mail copy to each recipient with an address (who did not
    turn it off) is queued once that transaction commits: never sent inside the request,
    never lost with it, and a mail server that is down only delays it (the task retries).
    """
    sent = 0
    to_mail: list[int] = []
    for user in recipients:
        if key and Notification.objects.filter(recipient=user, key=key, read_at=None).exists():
            continue
        notification = Notification.objects.create(
            recipient=user, message=message[:500], link=link, level=level, key=key
        )
        sent += 1
        if wants_mail(user):
            to_mail.append(notification.pk)
    if to_mail:
        transaction.on_commit(lambda: _queue_mail(to_mail))
    return sent


def wants_mail(user) -> bool:
    """Whether ``user``'s notifications also go out by e-mail (configured, has an address,
    has not turned it off on the profile page)."""
    return bool(
        settings.FULLRECORD_NOTIFICATION_MAIL
        and user.email
        and getattr(user, "email_notifications", True)
    )


def _queue_mail(notification_ids: list[int]) -> None:
    from .tasks import mail_notification

    for pk in notification_ids:
        mail_notification.enqueue(pk)


def notify_role(role: str, message: str, **kwargs) -> int:
    users = get_user_model().objects.filter(role_grants__role=role, is_active=True).distinct()
    return notify(users, message, **kwargs)


def mark_read(user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()
