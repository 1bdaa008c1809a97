"""The one notification service: every app that needs to tell someone calls it."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Level, Notification


def notify(
    recipients: Iterable, message: str, *, link: str = "", level: str = Level.INFO, key: str = ""
) -> int:
    """Send ``message`` to each recipient; with ``key``, skip those who have it unread."""
    sent = 0
    for user in recipients:
        if key and Notification.objects.filter(recipient=user, key=key, read_at=None).exists():
            continue
        Notification.objects.create(
            recipient=user, message=message[:500], link=link, level=level, key=key
        )
        sent += 1
    return sent


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
