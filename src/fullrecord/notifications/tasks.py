"""The e-mail copy of a notification, sent by the background worker after the commit.

A mail server that refuses or is down makes the task fail: the failure is logged and
the worker runs it again later (core/worker.py, FULLRECORD_TASK_MAX_ATTEMPTS); the
in-app notification, committed before, stays whatever happens to the mail.
"""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def mail_notification(notification_id: int) -> int:
    """E-mail one notification to its recipient, in Chinese with a link; returns 1 if sent."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    from .models import Notification
    from .services import wants_mail

    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.mailed_at is not None:
        return 0
    user = notification.recipient
    if not user.is_active or not wants_mail(user):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Full-process record] %(message)s") % {
            "message": notification.message[:80].replace("\n", " ")
        }
        lines = [
            _("Dear %(name)s,") % {"name": user.full_name or user.username},
            "",
            notification.message,
            "",
        ]
        if notification.link:
            lines.append(
                _("Open: %(url)s") % {"url": settings.FULLRECORD_SITE_URL + notification.link}
            )
        lines.append(
            _("Sent at %(at)s. To stop these e-mails, turn them off on your profile page: %(url)s")
            % {
                "at": timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M"),
                "url": settings.FULLRECORD_SITE_URL + reverse("accounts:profile"),
            }
        )
    message = EmailMessage(subject, "\n".join(lines), None, [user.email])
    try:
        message.send(fail_silently=False)
    except Exception:
        logger.exception(
            "notification %s: e-mail to user %s failed; the task will be retried",
            notification.pk,
            user.pk,
        )
        raise
    Notification.objects.filter(pk=notification.pk).update(mailed_at=timezone.now())
    return 1
