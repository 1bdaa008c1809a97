"""Background work of the devices app: the fault e-mail (a mail server that is down
delays it, never loses the fault, which is committed and shown in the application)."""

from __future__ import annotations

from django_tasks import task


@task()
def mail_fault(fault_id: int) -> int:
    """E-mail the section heads over a faulty device (第九条第六项); returns how many."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation
    from django.utils.translation import gettext as _

    from fullrecord.notifications.services import wants_mail

    from .models import Fault
    from .services import fault_recipients

    fault = Fault.objects.select_related("device__org_unit", "reported_by").filter(pk=fault_id)
    fault = fault.first()
    if fault is None:
        return 0
    # Whoever gets their notifications by e-mail already has this fault's notification
    # in the mailbox: one e-mail per fault, not two.
    addresses = [u.email for u in fault_recipients(fault) if u.email and not wants_mail(u)]
    if not addresses:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Device fault: %(device)s · %(kind)s") % {
            "device": fault.device.number,
            "kind": fault.get_kind_display(),
        }
        body = "\n".join(
            [
                subject,
                _("Reported by %(who)s at %(at)s")
                % {
                    "who": fault.reported_by,
                    "at": fault.reported_at.strftime("%Y-%m-%d %H:%M"),
                },
                fault.note,
                _("Section: %(unit)s") % {"unit": fault.device.org_unit},
                fault.get_absolute_url(),
            ]
        )
    return send_mail(subject, body, None, addresses, fail_silently=False)
