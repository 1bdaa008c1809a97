"""The one write path of retention: keep-until dates, holds, deletion sweeps.

Every change runs in one transaction with its audit entry. The store's reserved
delete (``BlobStore._delete``) is called from :func:`execute_sweep` and
:func:`finish_deletions` and from nowhere else in the code base (第十八条第五项).
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.choices import Role
from fullrecord.accounts.models import OrgUnit, User
from fullrecord.audit.services import record
from fullrecord.cases.choices import FINAL_STATES, CaseState
from fullrecord.cases.models import Case, CaseTransition
from fullrecord.media import deletion
from fullrecord.media.models import (
    CaseMediaLink,
    DeletionPermit,
    Derivative,
    IngestSource,
    MediaItem,
    PlaybackGrant,
    RecordingSession,
    Upload,
)
from fullrecord.media.store import StoreError, get_store
from fullrecord.notifications.services import notify

from .choices import HoldReason, HoldState, Outcome, Rule, SweepState
from .models import CaseFileTerm, Hold, ItemRetention, Sweep, SweepItem

log = logging.getLogger(__name__)

HOLD_PLACERS = (Role.SECTION_HEAD, Role.INSPECTOR, Role.LEADER)
SWEEP_STARTERS = (Role.ARCHIVIST, Role.LEADER)
IN_FORCE = (HoldState.ACTIVE, HoldState.RELEASE_ASKED)
# The audit action that says an original is gone by right; ``fullrecord verify`` reads it.
DELETED_ACTION = "media.deleted"


class RetentionError(ValidationError):
    """A refused retention action; the message is in the user's language (the API answers
    400 with it, pages show it)."""

    def __str__(self) -> str:
        return " ".join(self.messages)


# ---------------------------------------------------------------- keep-until


def routine_days() -> int:
    # 第十二条: routine footage is kept at least six months (settings refuse less than 183).
    return settings.FULLRECORD_ROUTINE_RETENTION_DAYS


def add_years(day: date, years: int) -> date:
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


@dataclass(frozen=True)
class Verdict:
    keep_until: date | None  # None with forever: never falls due
    forever: bool
    rule: str
    case: Case | None = None
    term: CaseFileTerm | None = None
    counted_from: date | None = None
    held: bool = False


def case_outcome(case: Case) -> str:
    """A case that reached a decision is a penalty case; any other ended without one."""
    decided = CaseTransition.objects.filter(case=case, to_state=CaseState.DECIDED).exists()
    return Outcome.PENALTY if decided else Outcome.NO_PENALTY


def case_closed_on(case: Case) -> date | None:
    """The day the case file was closed for good: archived, or ended early."""
    if case.state not in FINAL_STATES:
        return None
    step = (
        CaseTransition.objects.filter(case=case, to_state=case.state).order_by("-at", "-id").first()
    )
    return timezone.localdate(step.at) if step else timezone.localdate()


def terms_for(case: Case):
    outcome = case_outcome(case)
    return (
        CaseFileTerm.objects.filter(active=True, outcome=outcome)
        .filter(Q(causes__isnull=True) | Q(causes=case.cause_id))
        .distinct()
    )


def case_verdict(case: Case) -> Verdict:
    """How long the case's file — and so its evidence — is kept."""
    closed = case_closed_on(case)
    if closed is None:
        return Verdict(None, True, Rule.CASE_OPEN, case=case)
    best: Verdict | None = None
    for term in terms_for(case):
        if term.permanent:
            return Verdict(None, True, Rule.PERMANENT, case=case, term=term, counted_from=closed)
        until = add_years(closed, term.years)
        if best is None or until > best.keep_until:
            best = Verdict(until, False, Rule.CASE_FILE, case=case, term=term, counted_from=closed)
    if best is None:  # no term configured for such a case: kept until one is
        return Verdict(None, True, Rule.PERMANENT, case=case, counted_from=closed)
    return best


def cases_of(item: MediaItem):
    """The cases whose file holds ``item``: linked footage, or a written record's stored
    PDF or scan (documents keep those outside the case's media links)."""
    return Case.objects.filter(Q(media_links__item=item) | Q(documents__file_item=item)).distinct()


def items_of_case(case: Case):
    """Every original in ``case``'s file: linked records and its written records' files."""
    return MediaItem.objects.filter(
        Q(case_links__case=case) | Q(pk__in=case.documents.values("file_item"))
    ).distinct()


def holds_on(item: MediaItem):
    cases = cases_of(item).values("pk")
    target = Q(item=item) | Q(case_id__in=cases)
    if item.session_id:
        target |= Q(session_id=item.session_id)
    return Hold.objects.filter(target, state__in=IN_FORCE)


def compute(item: MediaItem) -> Verdict:
    """The longest applicable term wins; a hold in force means never."""
    start = max(timezone.localdate(item.received_at), timezone.localdate(item.used_at))
    verdict = Verdict(
        start + timedelta(days=routine_days()), False, Rule.ROUTINE, counted_from=start
    )
    for case in cases_of(item).select_related("cause").order_by("pk"):
        candidate = case_verdict(case)
        if not verdict.forever and (candidate.forever or candidate.keep_until > verdict.keep_until):
            verdict = candidate
    if holds_on(item).exists():
        verdict = Verdict(
            verdict.keep_until,
            True,
            Rule.HOLD,
            case=verdict.case,
            term=verdict.term,
            counted_from=verdict.counted_from,
            held=True,
        )
    return verdict


def refresh(item: MediaItem) -> ItemRetention:
    """Store the item's keep-until date and why, in the caller's transaction."""
    verdict = compute(item)
    before = (
        ItemRetention.objects.filter(item=item).values_list("keep_until", "forever", "held").first()
    )
    values = {
        "keep_until": verdict.keep_until,
        "forever": verdict.forever,
        "rule": verdict.rule,
        "case": verdict.case,
        "term": verdict.term,
        "counted_from": verdict.counted_from,
        "held": verdict.held,
        "computed_at": timezone.now(),
    }
    row, _created = ItemRetention.objects.update_or_create(item=item, defaults=values)
    MediaItem.objects.filter(pk=item.pk).update(
        keep_until=None if verdict.forever else verdict.keep_until, on_hold=verdict.held
    )
    if before is not None and before != (verdict.keep_until, verdict.forever, verdict.held):
        # 第十八条第二项: the store's own lock follows every change (S3 Object Lock).
        _sync_locks_on_commit([item])
    return row


def refresh_many(items) -> int:
    count = 0
    for item in items:
        with transaction.atomic():
            refresh(item)
        count += 1
    return count


def refresh_case(case: Case) -> int:
    return refresh_many(items_of_case(case))


def refresh_all(*, actor: User | None = None, evidence_only: bool = False) -> int:
    """Every item (upgrade), or every item linked to a case (``evidence_only``: a case-file
    term edited, which routine footage does not follow): one audit entry for the run."""
    items = MediaItem.objects.all()
    if evidence_only:
        items = items.filter(pk__in=CaseMediaLink.objects.values("item_id"))
    last, count = 0, 0
    while page := list(items.filter(pk__gt=last).order_by("pk")[:500]):
        count += refresh_many(page)
        last = page[-1].pk
    with transaction.atomic():
        record(
            "retention.recomputed",
            actor=actor,
            summary=_("Keep-until dates recomputed for %(count)s originals") % {"count": count},
            data={"count": count, "routine_days": routine_days()},
        )
    return count


def describe(row: ItemRetention | None) -> str:
    """Why an item is kept until its date, in the user's language."""
    if row is None:
        return _("Not computed yet")
    term = row.term.name if row.term else ""
    case = row.case.number if row.case else ""
    if row.held:
        return _("On long-term hold (第十三条): never falls due while the hold is in force")
    if row.rule == Rule.ROUTINE:
        return _("Routine footage: %(days)s days from %(start)s (第十二条)") % {
            "days": routine_days(),
            "start": row.counted_from,
        }
    if row.rule == Rule.CASE_OPEN:
        return _("Evidence of case %(case)s, not yet archived: kept at least until then") % {
            "case": case
        }
    if row.rule == Rule.PERMANENT:
        if term:
            return _("Evidence of case %(case)s: case file kept permanently (%(term)s)") % {
                "case": case,
                "term": term,
            }
        return _(
            "Evidence of case %(case)s: no case-file term applies; kept until the "
            "administrator sets one"
        ) % {"case": case}
    return _(
        "Evidence of case %(case)s: kept as long as its case file, %(term)s from %(start)s"
    ) % {"case": case, "term": term, "start": row.counted_from}


# ---------------------------------------------------------------- holds


def can_place_hold(user: User) -> bool:
    return user.is_authenticated and user.has_role(*HOLD_PLACERS)


def _target_label(item, session, case) -> str:
    if item is not None:
        return _("Record %(name)s") % {"name": item.original_name}
    if session is not None:
        return _("Recording session %(session)s") % {"session": session}
    return _("Case %(number)s") % {"number": case.number}


def _items_of(hold: Hold):
    if hold.item_id:
        return MediaItem.objects.filter(pk=hold.item_id)
    if hold.session_id:
        return MediaItem.objects.filter(session_id=hold.session_id)
    return items_of_case(hold.case)


def place_hold(
    *,
    actor: User,
    reason: str,
    note: str = "",
    item: MediaItem | None = None,
    session: RecordingSession | None = None,
    case: Case | None = None,
) -> Hold:
    """第十三条: keep footage, a session or a whole case for good, for one of four reasons."""
    if not can_place_hold(actor):
        raise RetentionError(
            _("Only section heads, inspectors and the leader in charge place holds.")
        )
    if reason not in HoldReason.values:
        raise RetentionError(_("Choose one of the four reasons of article 13."))
    note = (note or "").strip()
    if reason == HoldReason.OTHER and not note:
        raise RetentionError(_("Say why: the reason “other” needs a written explanation."))
    if sum(x is not None for x in (item, session, case)) != 1:
        raise RetentionError(_("A hold is placed on one record, one session or one case."))
    with transaction.atomic():
        hold = Hold.objects.create(
            reason=reason,
            note=note,
            item=item,
            session=session,
            case=case,
            label=_target_label(item, session, case)[:300],
            placed_by=actor,
        )
        record(
            "retention.hold",
            actor=actor,
            obj=hold,
            case_id=case.pk if case else None,
            summary=_("Long-term hold placed: %(label)s (%(reason)s)")
            % {"label": hold.label, "reason": hold.get_reason_display()},
            data={"reason": reason, "note": note, "target": hold.label},
        )
        for each in _items_of(hold):
            refresh(each)
    return hold


def ask_release(hold: Hold, *, actor: User, note: str) -> Hold:
    """Releasing needs the leader in charge: a placer asks, a leader decides."""
    if not can_place_hold(actor):
        raise RetentionError(_("You may not ask to release holds."))
    note = (note or "").strip()
    if not note:
        raise RetentionError(_("Say why the hold should be released."))
    with transaction.atomic():
        changed = Hold.objects.filter(pk=hold.pk, state=HoldState.ACTIVE).update(
            state=HoldState.RELEASE_ASKED,
            release_asked_by=actor,
            release_asked_at=timezone.now(),
            release_note=note,
        )
        if not changed:
            raise RetentionError(_("This hold is not in force or its release is already asked."))
        hold.refresh_from_db()
        record(
            "retention.release_asked",
            actor=actor,
            obj=hold,
            case_id=hold.case_id,
            summary=_("Release of a hold asked: %(label)s") % {"label": hold.label},
            data={"note": note},
        )
        leaders = User.objects.filter(role_grants__role=Role.LEADER, is_active=True).distinct()
        transaction.on_commit(
            lambda: notify(
                leaders,
                _("A long-term hold awaits your decision on its release: %(label)s")
                % {"label": hold.label},
                link=hold.get_absolute_url(),
                key=f"hold-release-{hold.pk}",
            )
        )
    return hold


def decide_release(hold: Hold, *, actor: User, approve: bool, note: str = "") -> Hold:
    if not actor.has_role(Role.LEADER):
        raise RetentionError(_("Only the leader in charge releases a hold."))
    with transaction.atomic():
        if approve:
            changed = Hold.objects.filter(pk=hold.pk, state=HoldState.RELEASE_ASKED).update(
                state=HoldState.RELEASED, released_by=actor, released_at=timezone.now()
            )
        else:
            changed = Hold.objects.filter(pk=hold.pk, state=HoldState.RELEASE_ASKED).update(
                state=HoldState.ACTIVE
            )
        if not changed:
            raise RetentionError(_("No release of this hold is awaiting a decision."))
        hold.refresh_from_db()
        record(
            "retention.released" if approve else "retention.release_refused",
            actor=actor,
            obj=hold,
            case_id=hold.case_id,
            summary=(_("Hold released: %(label)s") if approve else _("Release refused: %(label)s"))
            % {"label": hold.label},
            data={"note": (note or "").strip()},
        )
        for each in _items_of(hold):
            refresh(each)
    return hold


# ---------------------------------------------------------------- S3 in step (第十八条第二项)


def _sync_locks_on_commit(items) -> None:
    pairs = [(i.sha256, i.pk) for i in items]
    if pairs:
        transaction.on_commit(lambda: sync_locks(pairs))


def sync_locks(pairs) -> list[str]:
    """Extend each original's object lock to its keep-until date and set or clear its legal
    hold. A store without locks (the local directory) does nothing. Failures are logged and
    retried by the daily listing, never fatal to the change that caused them."""
    store = get_store()
    problems = []
    rows = {r.item_id: r for r in ItemRetention.objects.filter(item_id__in=[p for _, p in pairs])}
    for sha256, pk in pairs:
        row = rows.get(pk)
        if row is None:
            continue
        try:
            store.lock(sha256, until=row.keep_until, legal_hold=row.held)
        except (StoreError, OSError) as exc:
            log.warning("could not bring the lock of %s in step: %s", sha256, exc)
            problems.append(f"{sha256}: {exc}")
    return problems


# ---------------------------------------------------------------- the deletion sweep


def grace_days() -> int:
    return settings.FULLRECORD_RETENTION_GRACE_DAYS


def due_items(today: date | None = None, *, bureau: OrgUnit | None = None):
    """Originals past their keep-until date, not held, not in an open sweep; those of
    ``bureau`` (and its units) when given."""
    today = today or timezone.localdate()
    in_open = SweepItem.objects.filter(
        sweep__state__in=(SweepState.LISTED, SweepState.APPROVED), outcome=SweepItem.PENDING
    ).values("sha256")
    items = MediaItem.objects.filter(
        retention__keep_until__lt=today, retention__forever=False, retention__held=False
    ).exclude(sha256__in=in_open)
    if bureau is not None:
        items = items.filter(org_unit__path__startswith=bureau.path)
    return items.order_by("retention__keep_until", "pk")


def bureau_of(user: User) -> OrgUnit | None:
    return user.org_unit.bureau() if user.org_unit_id else None


def may_act_on(user: User, sweep: Sweep) -> bool:
    """A sweep is its bureau's: acted on from that bureau or one above it."""
    if sweep.bureau_id is None:
        return True
    mine = bureau_of(user)
    return mine is not None and sweep.bureau.path.startswith(mine.path)


def _number() -> str:
    year = timezone.localdate().year
    prefix = f"XH-{year}-"
    last = (
        Sweep.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def _cases_of(item: MediaItem) -> str:
    return "、".join(cases_of(item).order_by("number").values_list("number", flat=True))[:500]


def list_due(*, actor: User | None = None, today: date | None = None) -> Sweep | None:
    """List what has fallen due as a new sweep: the archivist for their bureau, or the
    daily job for every bureau (:func:`run_due`).

    Keep-until dates are recomputed first, so a link, archive or hold the hooks missed
    cannot make anything fall due. Nothing is deleted here.
    """
    if actor is not None and not actor.has_role(*SWEEP_STARTERS):
        raise RetentionError(
            _("Only the archivist or the leader in charge proposes a deletion sweep.")
        )
    today = today or timezone.localdate()
    refresh_many(
        MediaItem.objects.filter(
            Q(retention__isnull=True) | Q(retention__keep_until__lt=today, retention__forever=False)
        )
    )
    bureau = bureau_of(actor) if actor is not None else None
    sweep = _list(bureau, actor, today)
    if sweep is None and actor is not None:
        raise RetentionError(_("Nothing has fallen due: there is nothing to delete."))
    return sweep


class SweepRunning(RetentionError):
    """A sweep of the bureau is still open (awaiting approvals, its grace period or its
    deletion): a person starts the next one when it is finished or cancelled."""

    def __init__(self, sweep: Sweep) -> None:
        super().__init__(
            _(
                "Deletion sweep %(number)s of your bureau is still open; finish or cancel it "
                "before starting another."
            )
            % {"number": sweep.number}
        )
        self.sweep = sweep


def start_sweep(*, actor: User, today: date | None = None) -> Sweep:
    """An archivist or the leader in charge starts a sweep of their bureau: the listing the
    daily job makes (:func:`list_due`), one open sweep per bureau at a time. The bureau's
    row is locked first, so two people starting at once list one sweep."""
    if not actor.has_role(*SWEEP_STARTERS):
        raise RetentionError(
            _("Only the archivist or the leader in charge proposes a deletion sweep.")
        )
    bureau = bureau_of(actor)
    with transaction.atomic():
        if bureau is not None:
            list(OrgUnit.objects.select_for_update().filter(pk=bureau.pk).values_list("pk"))
        running = (
            Sweep.objects.filter(bureau=bureau, state__in=(SweepState.LISTED, SweepState.APPROVED))
            .order_by("listed_at", "pk")
            .first()
        )
        if running is not None:
            raise SweepRunning(running)
        return list_due(actor=actor, today=today)


def _list(bureau: OrgUnit | None, actor: User | None, today: date) -> Sweep | None:
    with transaction.atomic():
        due = list(due_items(today, bureau=bureau).select_related("retention"))
        if not due:
            return None
        sweep = Sweep.objects.create(
            number=_number(),
            bureau=bureau,
            grace_until=today + timedelta(days=grace_days()),
            proposed_by=actor,
        )
        SweepItem.objects.bulk_create(
            SweepItem(
                sweep=sweep,
                item=item,
                sha256=item.sha256,
                size=item.size,
                name=item.original_name,
                rule=item.retention.rule,
                keep_until=item.retention.keep_until,
                cases=_cases_of(item),
            )
            for item in due
        )
        total = sum(item.size for item in due)
        record(
            "retention.sweep_listed",
            actor=actor,
            obj=sweep,
            summary=_(
                "Deletion sweep %(number)s listed: %(count)s originals, %(bytes)s bytes, "
                "not before %(grace)s"
            )
            % {
                "number": sweep.number,
                "count": len(due),
                "bytes": total,
                "grace": sweep.grace_until,
            },
            data={
                "number": sweep.number,
                "count": len(due),
                "bytes": total,
                "grace_until": sweep.grace_until,
                "items": [item.sha256 for item in due],
            },
        )
        approvers = User.objects.filter(
            role_grants__role__in=(Role.ARCHIVIST, Role.LEADER), is_active=True
        )
        if bureau is not None:
            approvers = approvers.filter(org_unit__path__startswith=bureau.path)
        approvers = approvers.distinct()
        transaction.on_commit(
            lambda: notify(
                approvers,
                _("Deletion sweep %(number)s awaits two approvals (archivist and leader)")
                % {"number": sweep.number},
                link=sweep.get_absolute_url(),
                key=f"sweep-{sweep.pk}",
            )
        )
    return sweep


def approve(sweep: Sweep, *, actor: User, today: date | None = None) -> Sweep:
    """One of the two approvals: an archivist's and a leader's, by two different people."""
    today = today or timezone.localdate()
    roles = actor.roles
    if not roles & {Role.ARCHIVIST, Role.LEADER}:
        raise RetentionError(_("Only an archivist or the leader in charge approves a deletion."))
    if not may_act_on(actor, sweep):
        raise RetentionError(_("This sweep belongs to another bureau."))
    with transaction.atomic():
        locked = Sweep.objects.select_for_update().get(pk=sweep.pk)
        if locked.state != SweepState.LISTED:
            raise RetentionError(_("This sweep no longer awaits approval."))
        if actor.pk in (locked.archivist_approval_by_id, locked.leader_approval_by_id):
            raise RetentionError(
                _(
                    "You have already approved this sweep: the second approval must come from "
                    "another person."
                )
            )
        now = timezone.now()
        if Role.ARCHIVIST in roles and locked.archivist_approval_by_id is None:
            locked.archivist_approval_by, locked.archivist_approved_at = actor, now
            slot = "archivist"
        elif Role.LEADER in roles and locked.leader_approval_by_id is None:
            locked.leader_approval_by, locked.leader_approved_at = actor, now
            slot = "leader"
        else:
            raise RetentionError(
                _("The approval your role gives is already there; the other one is awaited.")
            )
        both = locked.archivist_approval_by_id and locked.leader_approval_by_id
        if both:
            locked.state = SweepState.APPROVED
        locked.save()
        record(
            "retention.sweep_approved",
            actor=actor,
            obj=locked,
            summary=_("Deletion sweep %(number)s approved (%(slot)s)")
            % {"number": locked.number, "slot": slot},
            data={"number": locked.number, "as": slot, "complete": bool(both)},
        )
    if both and locked.grace_until <= today:
        return execute_sweep(locked, today=today)
    return locked


def cancel(sweep: Sweep, *, actor: User, reason: str) -> Sweep:
    if not actor.has_role(Role.ARCHIVIST, Role.LEADER) or not may_act_on(actor, sweep):
        raise RetentionError(_("Only an archivist or the leader in charge cancels a sweep."))
    reason = (reason or "").strip()
    if not reason:
        raise RetentionError(_("Say why the sweep is cancelled."))
    with transaction.atomic():
        changed = Sweep.objects.filter(
            pk=sweep.pk, state__in=(SweepState.LISTED, SweepState.APPROVED)
        ).update(state=SweepState.CANCELLED, cancelled_by=actor, cancel_reason=reason[:300])
        if not changed:
            raise RetentionError(_("This sweep is finished; it cannot be cancelled."))
        sweep.refresh_from_db()
        record(
            "retention.sweep_cancelled",
            actor=actor,
            obj=sweep,
            summary=_("Deletion sweep %(number)s cancelled") % {"number": sweep.number},
            data={"reason": reason},
        )
    return sweep


def _still_due(item: MediaItem, today: date) -> str:
    """Empty when ``item`` may go; else why it stays (a hold, a new link since listing)."""
    row = refresh(item)
    if row.held:
        return _("placed on hold after listing")
    if row.forever or row.keep_until is None or row.keep_until >= today:
        return _("kept until %(date)s now: %(why)s") % {
            "date": row.keep_until or "—",
            "why": describe(row),
        }
    return ""


class KeptByApp(Exception):
    """An app that holds rows about the original says it must stay (its savepoint undone)."""


def _delete_row(item: MediaItem, reason: str) -> list[str]:
    """Remove the original's row and what hangs on it; the derived files' paths to unlink.

    The permit lets the database trigger allow exactly this row's deletion; it stays until
    the bytes are removed from the store (:func:`finish_deletions`), so the recovery sweep
    and ``fullrecord verify`` know the file left behind by a crash is gone by right. A
    reference this code does not know (another app's PROTECT) refuses: the
    item is then kept and the sweep says why.
    """
    why = deletion.release(item)  # the other apps' rows about it (devices, supervision)
    if why:
        raise KeptByApp(why)
    paths = list(Derivative.objects.filter(item=item).values_list("path", flat=True))
    DeletionPermit.objects.create(sha256=item.sha256, reason=reason[:300])
    Derivative.objects.filter(item=item).delete()
    PlaybackGrant.objects.filter(item=item).delete()
    IngestSource.objects.filter(item=item).delete()
    Upload.objects.filter(item=item).delete()
    CaseMediaLink.objects.filter(item=item).delete()
    from fullrecord.access.models import Copy

    Copy.objects.filter(item=item).update(item=None)  # the copy's own hash stays recorded
    # The model and its manager refuse deletion; the base queryset is the sweep's door.
    models.QuerySet.delete(MediaItem.objects.filter(pk=item.pk))
    return paths


def execute_sweep(sweep: Sweep, *, today: date | None = None) -> Sweep:
    """Delete what an approved sweep lists, once its grace period is over.

    The sweep row is locked and its state moved in the same transaction as every
    deletion and the certificate, so two sweeps at once delete once. The bytes are
    removed after the commit; a crash in between is finished by :func:`finish_deletions`,
    and until then ``fullrecord verify`` reads the deletion in the audit log.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Sweep.objects.select_for_update().get(pk=sweep.pk)
        if locked.state != SweepState.APPROVED or locked.grace_until > today:
            return locked
        deleted, kept, derived = [], [], []
        for entry in locked.items.filter(outcome=SweepItem.PENDING).select_related("item"):
            item = entry.item
            if item is None:
                entry.outcome, entry.kept_reason = SweepItem.KEPT, _("no longer in the store")
                entry.save(update_fields=["outcome", "kept_reason"])
                continue
            why = _still_due(item, today)
            if not why:
                try:
                    with transaction.atomic():
                        derived += _delete_row(item, f"sweep {locked.number}")
                        record(
                            DELETED_ACTION,
                            actor=None,
                            obj=item,
                            summary=_("Original %(name)s deleted by sweep %(number)s")
                            % {"name": item.original_name, "number": locked.number},
                            data={
                                "sha256": item.sha256,
                                "size": item.size,
                                "sweep": locked.number,
                                "rule": entry.rule,
                                "keep_until": entry.keep_until,
                            },
                        )
                except KeptByApp as exc:
                    why = str(exc)
                except ProtectedError as exc:
                    names = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
                    why = _("still referenced by: %(what)s") % {"what": "、".join(names)}
            if why:
                entry.outcome, entry.kept_reason = SweepItem.KEPT, why[:300]
                kept.append(entry)
            else:
                entry.outcome = SweepItem.DELETED
                deleted.append(entry)
            entry.save(update_fields=["outcome", "kept_reason"])
        now = timezone.now()
        certificate = record(
            "retention.certificate",
            actor=None,
            obj=locked,
            summary=_("Deletion certificate %(number)s: %(count)s originals, %(bytes)s bytes")
            % {
                "number": locked.number,
                "count": len(deleted),
                "bytes": sum(e.size for e in deleted),
            },
            data={
                "number": locked.number,
                "deleted_at": now,
                "listed_at": locked.listed_at,
                "grace_until": locked.grace_until,
                "approvals": [
                    {
                        "as": "archivist",
                        "user": locked.archivist_approval_by.username,
                        "name": locked.archivist_approval_by.full_name,
                        "at": locked.archivist_approved_at,
                    },
                    {
                        "as": "leader",
                        "user": locked.leader_approval_by.username,
                        "name": locked.leader_approval_by.full_name,
                        "at": locked.leader_approved_at,
                    },
                ],
                "deleted": [
                    {
                        "name": e.name,
                        "sha256": e.sha256,
                        "size": e.size,
                        "rule": e.rule,
                        "keep_until": e.keep_until,
                        "cases": e.cases,
                    }
                    for e in deleted
                ],
                "kept": [{"sha256": e.sha256, "why": e.kept_reason} for e in kept],
            },
        )
        locked.state = SweepState.DONE
        locked.executed_at = now
        locked.deleted_count = len(deleted)
        locked.deleted_bytes = sum(e.size for e in deleted)
        locked.kept_count = len(kept)
        locked.certificate = certificate
        locked.save()
        transaction.on_commit(lambda: finish_deletions(derived=derived))
    return locked


def finish_deletions(*, derived: list[str] | None = None) -> int:
    """Remove the bytes of originals whose deletion is committed (after a crash too)."""
    from fullrecord.media.derived import root as derived_root

    store = get_store()
    removed = 0
    for entry in SweepItem.objects.filter(outcome=SweepItem.DELETED, bytes_removed=False):
        if not MediaItem.objects.filter(sha256=entry.sha256).exists():
            try:
                store._delete(entry.sha256)
            except (StoreError, OSError) as exc:
                log.warning(
                    "could not remove the bytes of deleted original %s: %s", entry.sha256, exc
                )
                continue
            removed += 1
        # (Else the same bytes were taken in again since: they are a new record's now.)
        with transaction.atomic():
            SweepItem.objects.filter(pk=entry.pk).update(bytes_removed=True)
            DeletionPermit.objects.filter(sha256=entry.sha256).delete()
    root = derived_root()
    for path in derived or []:
        (root / path).unlink(missing_ok=True)
    return removed


def run_due(today: date | None = None) -> dict:
    """The scheduled job: list what fell due, delete what is approved and past its grace,
    finish interrupted deletions and bring object locks in step."""
    today = today or timezone.localdate()
    refresh_many(
        MediaItem.objects.filter(
            Q(retention__isnull=True) | Q(retention__keep_until__lt=today, retention__forever=False)
        )
    )
    listed = []
    bureaus = {
        (unit.bureau() if unit else None)
        for unit in OrgUnit.objects.filter(pk__in=due_items(today).values("org_unit_id"))
    }
    if due_items(today).filter(org_unit__isnull=True).exists():
        bureaus.add(None)
    # The deepest bureaus first, so a county's originals go to the county's sweep; those of
    # no unit last, into a sweep any bureau's archivist and leader may approve.
    for bureau in sorted(bureaus, key=lambda b: -len(b.path) if b else 1):
        sweep = _list(bureau, None, today)
        if sweep is not None:
            listed.append(sweep.number)
    done = [
        execute_sweep(s, today=today).number
        for s in Sweep.objects.filter(state=SweepState.APPROVED, grace_until__lte=today)
    ]
    finish_deletions()
    return {"listed": listed, "executed": done}
