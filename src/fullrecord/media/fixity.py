"""Fixity: every original the database knows is in the store with the bytes it was hashed as,
and every file in the store is known to the database (第十八条第二项).

The check lives beside the store it reads. ``fullrecord verify`` and the periodic
sweep (:func:`sweep`, a job in ``core/periodic.py``) call :func:`check_originals`;
serving an original calls :func:`require_original`. Whoever finds a failure, the
item is marked in the same way: ``fixity`` says altered or missing, ``fixity_failed_at``
keeps when it was first found, an audit entry ``media.fixity_failed`` names it, and
the archivists and leaders of its bureau are told. A later check that passes (the file
was put back from a backup) clears the mark with ``media.fixity_restored``; the
history stays in the audit log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException

from fullrecord.accounts.choices import Role
from fullrecord.audit.services import record
from fullrecord.notifications.models import Level
from fullrecord.notifications.services import notify

from .choices import FixityStatus
from .models import DeletionPermit, MediaItem
from .store import StoreError, StoreUnavailable, get_store

BATCH = 1000

FAILED = (FixityStatus.ALTERED, FixityStatus.MISSING)


@dataclass(frozen=True)
class Failure:
    """One failing original, named the way the archivist looks for it."""

    item_id: int
    sha256: str
    status: str
    name: str
    cases: tuple[str, ...]
    officer: str
    received_from: str

    def describe(self) -> str:
        what = (
            _("stored bytes no longer match their hash")
            if self.status == FixityStatus.ALTERED
            else _("missing from the store")
        )
        return _(
            "original #%(id)s %(name)s (%(sha256)s): %(what)s; cases: %(cases)s; "
            "recorded by: %(officer)s; received from: %(uploader)s"
        ) % {
            "id": self.item_id,
            "name": self.name,
            "sha256": self.sha256,
            "what": what,
            "cases": "、".join(self.cases) or "—",
            "officer": self.officer or "—",
            "uploader": self.received_from,
        }


@dataclass
class Report:
    checked: int = 0
    failures: list[Failure] = field(default_factory=list)
    restored: list[int] = field(default_factory=list)  # items whose earlier failure cleared
    orphans: list[str] = field(default_factory=list)  # store files no record refers to

    def problems(self) -> list[str]:
        lines = [failure.describe() for failure in self.failures]
        lines += [
            _(
                "store file %(sha256)s: no record refers to it (evidence received but not "
                "registered; the recovery sweep adopts it into its upload, or take it in "
                "with `fullrecord ingest`)"
            )
            % {"sha256": sha256}
            for sha256 in self.orphans
        ]
        return lines


def _check_one(store, sha256: str) -> str:
    try:
        return FixityStatus.INTACT if store.verify(sha256) else FixityStatus.ALTERED
    except StoreUnavailable:
        # A store that does not answer says nothing about the original: stop the check
        # (the sweep is tried again later) rather than mark every original missing.
        raise
    except (StoreError, OSError):
        return FixityStatus.MISSING


def check_originals(
    progress: Callable[[int], None] | None = None, *, found_by: str = "verify"
) -> Report:
    """Re-hash every original, mark each item with what was found, report the failing ones.

    Hashing happens outside any transaction; each change of state is its own short one.
    """
    store = get_store()
    report = Report()
    pending_intact: list[int] = []
    for done, (pk, sha256, previous) in enumerate(_rows(), 1):
        found = _check_one(store, sha256)
        report.checked = done
        if found == FixityStatus.INTACT:
            if previous in FAILED:
                restored = mark(pk, found, found_by=found_by)
                if restored:
                    report.restored.append(pk)
            else:
                pending_intact.append(pk)
                if len(pending_intact) >= BATCH:
                    _mark_intact(pending_intact)
        else:
            try:
                mark(pk, found, found_by=found_by)
                report.failures.append(describe(pk, found))
            except MediaItem.DoesNotExist:
                pass  # deleted by the approved retention sweep while this check ran
        if progress:
            progress(done)
    _mark_intact(pending_intact)
    return report


def _rows() -> Iterator[tuple[int, str, str]]:
    """Every item, a page at a time by primary key: no cursor stays open while the loop
    writes to the same table (SQLite gives no isolation within one connection)."""
    last = 0
    while page := list(
        MediaItem.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", "sha256", "fixity")[:BATCH]
    ):
        yield from page
        last = page[-1][0]


def _mark_intact(pks: list[int]) -> None:
    """Unchanged intact items in one statement: only the check time moves."""
    if pks:
        MediaItem.objects.filter(pk__in=pks).exclude(fixity__in=FAILED).update(
            fixity=FixityStatus.INTACT, fixity_checked_at=timezone.now()
        )
        pks.clear()


def describe(pk: int, status: str) -> Failure:
    item = MediaItem.objects.select_related("officer", "uploaded_by").get(pk=pk)
    return Failure(
        item_id=item.pk,
        sha256=item.sha256,
        status=status,
        name=item.original_name,
        cases=tuple(
            item.case_links.order_by("case__number").values_list("case__number", flat=True)
        ),
        officer=_person(item.officer),
        received_from=_person(item.uploaded_by),
    )


def _person(user) -> str:
    if user is None:
        return ""
    label = user.full_name or user.username
    return f"{label}（{user.certificate_number}）" if user.certificate_number else label


def mark(pk: int, found: str, *, found_by: str, actor=None) -> bool:
    """Record what a check found on item ``pk``; True when its fixity state changed.

    A change is an audit entry in the same transaction; a new failure also notifies the
    archivists and leaders of the item's bureau once the transaction commits.
    """
    now = timezone.now()
    with transaction.atomic():
        item = MediaItem.objects.select_for_update().get(pk=pk)
        was = item.fixity
        changes: dict = {"fixity": found, "fixity_checked_at": now}
        if found in FAILED and was not in FAILED:
            changes["fixity_failed_at"] = now
        elif found == FixityStatus.INTACT:
            changes["fixity_failed_at"] = None
        MediaItem.objects.filter(pk=pk).update(**changes)
        if found == was or (found == FixityStatus.INTACT and was == FixityStatus.UNCHECKED):
            return found != was
        failure = describe(pk, found) if found in FAILED else None
        if failure is not None:
            record(
                "media.fixity_failed",
                actor=actor,
                obj=item,
                summary=failure.describe(),
                data={
                    "sha256": item.sha256,
                    "fixity": found,
                    "was": was,
                    "found_by": found_by,
                    "cases": list(failure.cases),
                },
            )
            transaction.on_commit(lambda: _notify(item, failure))
        elif was in FAILED:
            record(
                "media.fixity_restored",
                actor=actor,
                obj=item,
                summary=_("Fixity restored: %(name)s matches its hash again")
                % {"name": item.original_name},
                data={
                    "sha256": item.sha256,
                    "was": was,
                    "failed_since": item.fixity_failed_at,
                    "found_by": found_by,
                },
            )
    return True


def recipients(item: MediaItem):
    """The archivists and leaders of the item's bureau; every one of them if it has none."""
    users = get_user_model().objects.filter(
        Q(role_grants__role=Role.ARCHIVIST) | Q(role_grants__role=Role.LEADER), is_active=True
    )
    if item.org_unit_id is not None:
        users = users.filter(org_unit__path__startswith=item.org_unit.bureau().path)
    return users.distinct()


def _notify(item: MediaItem, failure: Failure) -> None:
    notify(
        recipients(item),
        _("Fixity failed: %(failure)s") % {"failure": failure.describe()},
        link=item.get_absolute_url(),
        level=Level.ALERT,
        key=f"fixity-{item.pk}-{failure.status}",
    )


def store_keys_without_record(progress: Callable[[int], None] | None = None) -> list[str]:
    """Every original in the store that no MediaItem names (local: walk; S3: list)."""
    orphans: list[str] = []
    keys: Iterator[str] = get_store().keys()
    seen = 0
    while batch := list(islice(keys, BATCH)):
        known = set(MediaItem.objects.filter(sha256__in=batch).values_list("sha256", flat=True))
        # Deleted by the approved retention sweep, bytes not yet removed (a crash after its
        # commit): gone by right, the deletion is in the audit log; the sweep finishes it.
        known |= set(
            DeletionPermit.objects.filter(sha256__in=batch).values_list("sha256", flat=True)
        )
        orphans.extend(key for key in batch if key not in known)
        seen += len(batch)
        if progress:
            progress(seen)
    return orphans


class OriginalMissing(APIException):
    """The record exists and the caller may read it, but its bytes are not in the store."""

    status_code = status.HTTP_410_GONE
    default_code = "original_missing"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The original file is missing from the evidence store. The archivist "
                "and the leader have been told; it must be restored from the backup."
            )
        )


class StoreDown(APIException):
    """The store does not answer just now: 503 with Retry-After, nothing recorded."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "store_unavailable"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The evidence store does not answer just now; nothing is lost. "
                "Try again in a minute."
            )
        )
        self.wait = 60  # DRF and the playback path send it as Retry-After


def require_original(item: MediaItem, *, actor) -> None:
    """Before serving an original: a missing file is recorded and answered 410, never a 500;
    a store that does not answer is a 503, and proves nothing missing."""
    try:
        if get_store().exists(item.sha256):
            return
    except StoreUnavailable as exc:
        raise StoreDown from exc
    mark(item.pk, FixityStatus.MISSING, found_by="read", actor=actor)
    record(
        "media.original_missing",
        actor=actor,
        obj=item,
        summary=_("Asked for %(name)s: the original is missing from the store")
        % {"name": item.original_name},
        data={"sha256": item.sha256},
    )
    raise OriginalMissing


def note_if_missing(item: MediaItem, *, actor) -> None:
    """On the item's page: a file found gone is marked and told before anyone presses play
    (a ``stat`` on the local store, a ``HEAD`` on S3)."""
    if item.fixity == FixityStatus.MISSING or get_store().exists(item.sha256):
        return
    mark(item.pk, FixityStatus.MISSING, found_by="page", actor=actor)
    item.refresh_from_db(fields=["fixity", "fixity_checked_at", "fixity_failed_at"])


def sweep() -> dict:
    """The periodic fixity sweep: re-hash everything, list the store's unknown files.

    What the archivist needs to act on is also sent as a notification, so it is seen
    in the embedded mode where nobody reads the worker's log.
    """
    report = check_originals(found_by="sweep")
    report.orphans = store_keys_without_record()
    if report.orphans:
        _notify_orphans(report.orphans)
    return {
        "checked": report.checked,
        "failed": [failure.item_id for failure in report.failures],
        "restored": report.restored,
        "orphans": report.orphans,
    }


def _notify_orphans(orphans: Iterable[str]) -> None:
    orphans = list(orphans)
    archivists = (
        get_user_model().objects.filter(role_grants__role=Role.ARCHIVIST, is_active=True).distinct()
    )
    notify(
        archivists,
        _(
            "%(count)s file(s) in the evidence store belong to no record: %(hashes)s. "
            "Run `fullrecord verify` for the list."
        )
        % {"count": len(orphans), "hashes": ", ".join(h[:12] for h in orphans[:5])},
        level=Level.WARNING,
        key="fixity-orphans-" + hashlib.sha256(",".join(sorted(orphans)).encode()).hexdigest()[:16],
    )
