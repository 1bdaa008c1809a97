"""Audiovisual evidence: the one write path for originals, links and classification."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.models import User
from fullrecord.audit.labels import action_label
from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import record
from fullrecord.cases import access as case_access
from fullrecord.cases import completeness
from fullrecord.cases.models import Case

from .access import can_classify, can_upload
from .choices import MediaKind
from .crashpoints import crash_point
from .filenames import extension, safe_name
from .models import CaseMediaLink, MediaItem
from .signals import item_changed, item_received
from .spool import Spooled
from .store import get_store

log = logging.getLogger(__name__)

VIDEO_EXT = {
    "mp4",
    "mov",
    "avi",
    "mkv",
    "webm",
    "3gp",
    "ts",
    "mts",
    "m4v",
    "flv",
    "wmv",
    "mpg",
    "mpeg",
}
AUDIO_EXT = {"mp3", "wav", "aac", "m4a", "amr", "ogg", "opus", "flac", "wma"}
PHOTO_EXT = {"jpg", "jpeg", "png", "heic", "webp", "bmp", "tif", "tiff", "gif"}


class MediaError(ValidationError):
    pass


@dataclass
class Hints:
    """What the source says about a file before analysis (station metadata, file name, form)."""

    device_number: str = ""
    officer: User | None = None
    used_at: datetime | None = None
    task_reference: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestResult:
    item: MediaItem
    created: bool


def _actor_as_officer(actor: User, hints: Hints) -> User | None:
    """The uploader is taken as the recording officer only when the source names nobody:
    a named but unknown officer stays empty for a person to correct (第十五条)."""
    if "officer_raw" in hints.extra or not actor.has_role("officer"):
        return None
    return actor


def guess_kind(name: str) -> str:
    ext = extension(name)
    if ext in VIDEO_EXT:
        return MediaKind.VIDEO
    if ext in AUDIO_EXT:
        return MediaKind.AUDIO
    if ext in PHOTO_EXT:
        return MediaKind.PHOTO
    return MediaKind.OTHER


@contextmanager
def durable_commit() -> Iterator[None]:
    """Make the commit inside this block reach the disk before it returns.

    On SQLite the site runs ``synchronous=NORMAL`` (WAL): a commit is safe from a
    crashed process but the last ones may vanish in a power cut. The commit that
    acknowledges evidence — after it the client is told 204 and the officer wipes the
    card — is made with ``synchronous=FULL`` instead, which also makes every earlier
    commit durable. Only this commit pays the fsync: FULL for every write cut audit
    appends to a quarter (bench/README.md, ``bench_recovery.py``). PostgreSQL commits
    durably already. Inside a caller's transaction the commit is the caller's: no-op.
    """
    connection = transaction.get_connection()
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        # Back to NORMAL, unless a transaction is open on this connection again (a live
        # test server shares its connection with the test): SQLite refuses the pragma
        # there, and staying at FULL only costs speed, never safety.
        if not connection.in_atomic_block and not connection.connection.in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")


def ingest_spooled(
    spooled: Spooled,
    *,
    actor: User,
    original_name: str,
    source: str,
    hints: Hints | None = None,
    case: Case | None = None,
    stage: str = "",
    within: Callable[[MediaItem, bool], None] | None = None,
) -> IngestResult:
    """Take a hashed spool file in as evidence; the same bytes twice are one item.

    Whatever the bytes are, they are kept: analysis later marks odd files
    unplayable, it never refuses them.

    The order is what makes a crash anywhere recoverable: the bytes go into the
    store first, outside any transaction (a slow fsync or S3 upload holds no database
    lock); then one transaction writes the item, its audit entry and whatever
    ``within(item, created)`` adds (the tus upload closes in it); only after that
    commit is the spool file removed. Until then the bytes are always in the spool,
    the store or both, so received evidence is never untracked. Call it outside a
    transaction to keep the lock short.
    """
    if not can_upload(actor):
        spooled.path.unlink(missing_ok=True)
        raise MediaError(_("You may not add audiovisual records."))
    if case is not None and not case_access.can(actor, "edit", case):
        spooled.path.unlink(missing_ok=True)
        raise MediaError(_("You may not add evidence to this case."))
    hints = hints or Hints()
    name = safe_name(original_name)
    get_store().put_file(spooled.path, spooled.sha256, spooled.size)
    crash_point("linked")
    created = False
    with durable_commit(), transaction.atomic():
        item = MediaItem.objects.filter(sha256=spooled.sha256).first()
        if item is None:
            try:
                with transaction.atomic():
                    item = MediaItem.objects.create(
                        sha256=spooled.sha256,
                        size=spooled.size,
                        original_name=name,
                        uploaded_by=actor,
                        kind=guess_kind(name),
                        org_unit=(hints.officer or actor).org_unit,
                        officer=hints.officer or _actor_as_officer(actor, hints),
                        device_number=safe_name(hints.device_number, "")[:50],
                        used_at=hints.used_at or timezone.now(),
                        task_reference=hints.task_reference[:100],
                        unlinked=not hints.task_reference,
                    )
                    created = True
            except IntegrityError:  # the same bytes arrived at the same moment elsewhere
                item = MediaItem.objects.get(sha256=spooled.sha256)
        record(
            "media.ingest" if created else "media.duplicate",
            actor=actor,
            obj=item,
            summary=(_("Received %(name)s") if created else _("Received again: %(name)s"))
            % {"name": name},
            data={
                "sha256": item.sha256,
                "size": item.size,
                "source": source,
                "name": name,
                **{k: str(v) for k, v in hints.extra.items()},
            },
        )
        if case is not None:
            link_to_case(item, case, stage=stage or case.stage, actor=actor)
        if within is not None:
            within(item, created)
        if created:
            item_id = item.pk
            transaction.on_commit(lambda: item_received.send(MediaItem, item_id=item_id))
    crash_point("committed")
    # Only now: before the commit the spool file is what a resumed finish starts from.
    # (A caller that wraps this in its own transaction gives that up; none that takes
    # evidence from outside does.)
    spooled.path.unlink(missing_ok=True)
    crash_point("spool-removed")
    return IngestResult(item, created)


@transaction.atomic
def link_to_case(
    item: MediaItem, case: Case, *, stage: str, actor: User, note: str = ""
) -> CaseMediaLink:
    """Use an item as evidence in a case; fills the party and cause it lacks (第十五条)."""
    if not case_access.can(actor, "edit", case):
        raise MediaError(_("You may not add evidence to this case."))
    from .access import visible_media

    if not visible_media(actor, include_grants=False).filter(pk=item.pk).exists():
        # A record seen only under an access request is not yours to put into cases.
        raise MediaError(_("Only records within your own work can be linked to a case."))
    link, created = CaseMediaLink.objects.get_or_create(
        case=case, item=item, defaults={"stage": stage, "linked_by": actor, "note": note[:300]}
    )
    if not created:
        return link
    changed = []
    if not item.party_name:
        item.party_name = case.party_names()[:200]
        changed.append("party_name")
    if item.cause_id is None:
        item.cause = case.cause
        changed.append("cause")
    if item.unlinked:
        item.unlinked = False
        changed.append("unlinked")
    if changed:
        item.save(update_fields=changed)
    completeness.refresh(case)  # 第十一条: footage of the stage may now be present
    record(
        "media.link",
        actor=actor,
        obj=item,
        case_id=case.pk,
        summary=_("Linked %(name)s to case %(number)s")
        % {"name": item.original_name, "number": case.number},
        data={"case": case.number, "stage": stage, "note": note},
    )
    return link


CLASSIFICATION_FIELDS = (
    "org_unit",
    "device_number",
    "officer",
    "used_at",
    "party_name",
    "cause",
    "task_reference",
)


@transaction.atomic
def correct_classification(
    item: MediaItem, *, actor: User, changes: dict[str, Any], reason: str
) -> MediaItem:
    """Correct the six fields of 第十五条; the reason and the old values are logged."""
    if not can_classify(actor, item):
        raise MediaError(_("You may not correct this record's classification."))
    if not reason.strip():
        raise MediaError(_("Say why the classification is corrected."))
    item = MediaItem.objects.select_for_update().get(pk=item.pk)
    before: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name not in CLASSIFICATION_FIELDS:
            raise MediaError(_("%(field)s cannot be corrected.") % {"field": name})
        old = getattr(item, name)
        if old != value:
            before[name] = [
                str(old) if old is not None else "",
                str(value) if value is not None else "",
            ]
            setattr(item, name, value)
    if not before:
        return item
    if "task_reference" in before:
        item.unlinked = not item.task_reference and not item.case_links.exists()
    item.save()
    if before.keys() & {"device_number", "used_at", "officer"}:
        # The item may now belong to another device's session, or split its own.
        from .sessions import place_in_session

        pk = item.pk
        transaction.on_commit(lambda: place_in_session(MediaItem.objects.get(pk=pk)))
        transaction.on_commit(lambda: item_changed.send(MediaItem, item_id=pk))
    record(
        "media.classify",
        actor=actor,
        obj=item,
        summary=_("Corrected classification of %(name)s") % {"name": item.original_name},
        data={"changes": before, "reason": reason.strip()},
    )
    return item


@transaction.atomic
def apply_binding(
    item: MediaItem,
    *,
    officer: User,
    task_reference: str = "",
    case: Case | None = None,
    source: str,
    data: dict[str, Any] | None = None,
    previous_officer: User | None = None,
) -> MediaItem:
    """Bind an item to the officer, task and case a higher app found it belongs to (the
    devices app: the checkout window its device was in). Fills only what is empty — a
    person's classification is never overwritten, except the uploader guessed as officer at
    ingest and an officer an earlier binding set (``previous_officer``, when the binding is
    corrected) — links the case (as the officer,
    at the case's stage, unless the case file is closed) and records it all in one entry."""
    item = MediaItem.objects.select_for_update().get(pk=item.pk)
    changed: dict[str, list[str]] = {}
    # The uploader taken as the officer at ingest was a guess (``_actor_as_officer``); the
    # device's holder is known, and wins. So does a corrected binding over its own earlier one.
    guessed = item.officer_id is not None and item.officer_id == item.uploaded_by_id
    replaced = previous_officer is not None and item.officer_id == previous_officer.pk
    if (guessed or replaced) and item.officer_id != officer.pk:
        changed["officer"] = [str(item.officer), str(officer)]
        item.officer = officer
    elif item.officer_id is None:
        item.officer = officer
        changed["officer"] = ["", str(officer)]
        if item.org_unit_id is None:
            item.org_unit = officer.org_unit
            changed["org_unit"] = ["", str(officer.org_unit or "")]
    if task_reference and not item.task_reference:
        item.task_reference = task_reference[:100]
        changed["task_reference"] = ["", item.task_reference]
    linked = None
    if case is not None and case_access.can(officer, "edit", case):
        link, created = CaseMediaLink.objects.get_or_create(
            case=case, item=item, defaults={"stage": case.stage, "linked_by": officer}
        )
        if created:
            linked = case
            if not item.party_name:
                item.party_name = case.party_names()[:200]
            if item.cause_id is None:
                item.cause = case.cause
    unlinked = not item.task_reference and not item.case_links.exists()
    if not changed and linked is None and unlinked == item.unlinked:
        return item
    item.unlinked = unlinked
    item.save()
    record(
        "media.bind",
        obj=item,
        case_id=linked.pk if linked else None,
        summary=_("Bound %(name)s to %(officer)s")
        % {"name": item.original_name, "officer": officer},
        data={
            "source": source,
            "changes": changed,
            "case": linked.number if linked else "",
            **(data or {}),
        },
    )
    return item


def release_binding(
    item: MediaItem,
    *,
    source: str,
    officer: User | None = None,
    task_reference: str = "",
    case: Case | None = None,
    data: dict[str, Any] | None = None,
) -> MediaItem:
    """Undo what an earlier ``apply_binding`` filled in, once the higher app finds the item
    no longer belongs there (the devices app: a corrected checkout window no longer holds
    it). Only values still as the binding left them go: an officer, task or case link a
    person set by hand since stays. Recorded in one entry."""
    item = MediaItem.objects.select_for_update().get(pk=item.pk)
    changed: dict[str, list[str]] = {}
    if officer is not None and item.officer_id == officer.pk:
        changed["officer"] = [str(officer), ""]
        item.officer = None
    if task_reference and item.task_reference == task_reference:
        changed["task_reference"] = [task_reference, ""]
        item.task_reference = ""
    unlinked_case = None
    if case is not None:
        removed, _kinds = CaseMediaLink.objects.filter(case=case, item=item).delete()
        if removed:
            unlinked_case = case
            changed["case"] = [case.number, ""]
    if not changed:
        return item
    item.unlinked = not item.task_reference and not item.case_links.exists()
    item.save()
    if unlinked_case is not None:
        completeness.refresh(unlinked_case)
    record(
        "media.unbind",
        obj=item,
        case_id=unlinked_case.pk if unlinked_case else None,
        summary=_("Binding of %(name)s undone") % {"name": item.original_name},
        data={"source": source, "changes": changed, **(data or {})},
    )
    return item


def record_access(
    item: MediaItem, *, actor: User, action: str, data: dict | None = None
) -> AuditEntry:
    """The one call site for view, play and download of an original (第十七、十八条).

    Access through an approved request is recorded with the request's number.
    """
    from .access import reached_through

    data = dict(data or {})
    via = reached_through(actor, item)
    if via is not None:
        data["request"] = via.number
    # File the entry under the case it was reached through, or the item's one case, so a
    # case's audit trail shows who watched its footage.
    case_ids = list(item.case_links.values_list("case_id", flat=True)[:2])
    case_id = via.case_id if via is not None and via.case_id else None
    if case_id is None and len(case_ids) == 1:
        case_id = case_ids[0]
    return record(
        f"media.{action}",
        actor=actor,
        obj=item,
        case_id=case_id,
        summary=f"{action_label(f'media.{action}')}：{item.original_name}",
        data=data,
    )
