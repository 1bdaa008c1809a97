"""Access requests (第十七条): filed with a reason and a scope, decided by the leader in charge,
time-limited, revocable; every step in the audit log."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import User
from fullrecord.audit.services import record
from fullrecord.cases.models import Case
from fullrecord.notifications.services import notify

from .choices import Purpose, RequestState
from .models import AccessRequest, RequestCounter


class AccessError(ValidationError):
    pass


def _next_number(year: int) -> str:
    counter, _created = RequestCounter.objects.get_or_create(year=year)
    counter = RequestCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"CY-{year}-{counter.last:04d}"


@transaction.atomic
def file_request(
    *,
    requester: User,
    reason: str,
    purpose: str = Purpose.VIEW,
    case: Case | None = None,
    items=(),
    clip: tuple[float, float] | None = None,
) -> AccessRequest:
    """File a request; ``clip`` (from, to in seconds) asks for copies of that stretch of
    the one video or audio record named, and the copies made under it hold only the clip."""
    items = list(items)
    if not reason.strip():
        raise AccessError(_("Say why you need to see these records."))
    if case is None and not items:
        raise AccessError(_("Choose a case or at least one audiovisual record."))
    if purpose == Purpose.EXPORT and not requester.has_role(Role.ARCHIVIST):
        raise AccessError(_("Only archivists export originals (第十八条第三项)."))
    if clip is not None:
        check_clip(purpose=purpose, case=case, items=items, start=clip[0], end=clip[1])
    bureau = _holding_bureau(requester, case, items)
    request = AccessRequest.objects.create(
        number=_next_number(timezone.localdate().year),
        requester=requester,
        purpose=purpose,
        reason=reason.strip(),
        case=case,
        bureau=bureau,
        clip_start=round(clip[0], 2) if clip else None,
        clip_end=round(clip[1], 2) if clip else None,
    )
    request.items.set(items)
    record(
        "access.request",
        actor=requester,
        obj=request,
        case_id=case.pk if case else None,
        summary=_("Access request %(number)s filed") % {"number": request.number},
        data={
            "purpose": purpose,
            "reason": request.reason,
            "case": case.number if case else "",
            "items": [i.pk for i in items],
            **clip_data(request),
        },
    )
    notify(
        User.objects.filter(
            role_grants__role=Role.LEADER, is_active=True, org_unit__path__startswith=bureau.path
        ).exclude(pk=requester.pk),
        _("Access request %(number)s from %(name)s awaits your approval.")
        % {"number": request.number, "name": requester},
        link=request.get_absolute_url(),
        level="warning",
        key=f"access-{request.pk}",
    )
    return request


def check_clip(*, purpose: str, case: Case | None, items: list, start: float, end: float) -> None:
    """A clip is a stretch of one video or audio record, running forwards within it."""
    if purpose != Purpose.COPY or case is not None or len(items) != 1:
        raise AccessError(_("A clip is asked for as a copy of one audiovisual record."))
    item = items[0]
    if not item.duration:
        raise AccessError(_("Only a record with a known duration can be clipped."))
    if start >= end:
        raise AccessError(_("A clip must end after it starts."))
    if start < 0 or end > item.duration:
        raise AccessError(
            _("A clip must lie within the record (0 to %(duration)s seconds).")
            % {"duration": f"{item.duration:.1f}"}
        )


def clip_data(obj) -> dict:
    """The clip's range for an audit entry (an access request or a copy), if any."""
    if obj.clip_start is None:
        return {}
    return {"clip": {"from": obj.clip_start, "to": obj.clip_end}}


def _holding_bureau(requester: User, case: Case | None, items: list):
    """The bureau whose records are asked for: its leader in charge decides (第十七条)."""
    units = [case.org_unit] if case is not None else []
    units += [item.org_unit for item in items if item.org_unit_id]
    bureaus = {unit.bureau().pk: unit.bureau() for unit in units}
    if len(bureaus) > 1:
        raise AccessError(_("Ask one bureau at a time: these records belong to different bureaus."))
    if bureaus:
        return next(iter(bureaus.values()))
    if requester.org_unit_id:
        return requester.org_unit.bureau()
    raise AccessError(_("These records belong to no bureau; ask the administrator."))


def leads_bureau_of(user: User, request: AccessRequest) -> bool:
    """A leader in charge of the request's bureau, or of a bureau above it."""
    return bool(
        user.has_role(Role.LEADER)
        and user.org_unit_id
        and request.bureau_id
        and request.bureau.path.startswith(user.org_unit.bureau().path)
    )


def can_decide(user: User, request: AccessRequest) -> bool:
    """第十七条: the leader in charge of the records' bureau decides; never on their own request."""
    return leads_bureau_of(user, request) and user.pk != request.requester_id


@transaction.atomic
def decide(
    request: AccessRequest, *, actor: User, approve: bool, note: str = "", days: int | None = None
) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if not can_decide(actor, request):
        raise AccessError(_("Only the leader in charge may decide, and not on their own request."))
    if request.state != RequestState.PENDING:
        raise AccessError(_("This request has already been decided."))
    days = days or settings.FULLRECORD_ACCESS_DAYS
    if not 1 <= days <= settings.FULLRECORD_ACCESS_MAX_DAYS:
        raise AccessError(
            _("An approval lasts between 1 and %(max)s days.")
            % {"max": settings.FULLRECORD_ACCESS_MAX_DAYS}
        )
    now = timezone.now()
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()[:500]
    request.expires_at = now + timedelta(days=days) if approve else None
    request.save()
    record(
        "access.approve" if approve else "access.refuse",
        actor=actor,
        obj=request,
        case_id=request.case_id,
        summary=(_("Approved %(number)s until %(until)s") if approve else _("Refused %(number)s"))
        % {
            "number": request.number,
            "until": timezone.localtime(request.expires_at).strftime("%Y-%m-%d %H:%M")
            if approve
            else "",
        },
        data={"note": request.decision_note, "days": days if approve else 0},
    )
    notify(
        [request.requester],
        (
            _("Your access request %(number)s was approved.")
            if approve
            else _("Your access request %(number)s was refused.")
        )
        % {"number": request.number},
        link=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def revoke(request: AccessRequest, *, actor: User, reason: str) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if not leads_bureau_of(actor, request):
        raise AccessError(_("Only the leader in charge may revoke an approval."))
    if request.state != RequestState.APPROVED:
        raise AccessError(_("Only an approved request can be revoked."))
    if not reason.strip():
        raise AccessError(_("Say why the approval is revoked."))
    request.state, request.revoked_by, request.revoked_at = (
        RequestState.REVOKED,
        actor,
        timezone.now(),
    )
    request.revoke_reason = reason.strip()[:500]
    request.save()
    record(
        "access.revoke",
        actor=actor,
        obj=request,
        case_id=request.case_id,
        summary=_("Revoked %(number)s") % {"number": request.number},
        data={"reason": request.revoke_reason},
    )
    notify(
        [request.requester],
        _("Your access approval %(number)s was revoked.") % {"number": request.number},
        link=request.get_absolute_url(),
        level="warning",
    )
    return request


@transaction.atomic
def withdraw(request: AccessRequest, *, actor: User) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    if actor.pk != request.requester_id or request.state != RequestState.PENDING:
        raise AccessError(_("Only a pending request can be withdrawn, by its requester."))
    request.state = RequestState.WITHDRAWN
    request.save(update_fields=["state"])
    record(
        "access.withdraw",
        actor=actor,
        obj=request,
        case_id=request.case_id,
        summary=_("Withdrew %(number)s") % {"number": request.number},
    )
    return request
