"""``fullrecord ingest PATH``: take in what a docking station exported or a camera held.

Walks the tree in name order, streams each file into the spool while hashing it
(constant memory), and hands it to ``services.ingest_spooled`` — the one way a
file becomes evidence. What each file is (device, officer, start, task) comes
from :mod:`fullrecord.media.layouts`. A file already taken in from the same
path with the same size and modification time is skipped without being read;
one read again is still stored once, by its SHA-256. A file that cannot be
read is reported and the run goes on; the exit status says whether any failed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError

from fullrecord.accounts.models import User
from fullrecord.cases import access as case_access
from fullrecord.cases.choices import Stage
from fullrecord.cases.models import Case
from fullrecord.media.access import can_upload, visible_media
from fullrecord.media.layouts import Resolver
from fullrecord.media.layouts.metadata import is_sidecar
from fullrecord.media.models import IngestSource
from fullrecord.media.services import ingest_spooled
from fullrecord.media.spool import spool_chunks
from fullrecord.media.store.base import CHUNK, StorageFull

# Files operating systems leave in folders; never footage.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", "ehthumbs.db"}


def _decoded(raw: bytes) -> str:
    # Names are bytes on disk; cards formatted on Chinese Windows write them in GBK.
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def shown(text: str) -> str:
    """A path or name as printed and stored: decoded (UTF-8, else GB 18030) and with
    control and bidi characters escaped, so it cannot disturb a terminal or a page."""
    text = "/".join(_decoded(part) for part in os.fsencode(text).split(b"/"))
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text
    )


@dataclass(frozen=True)
class Entry:
    rel: PurePosixPath
    path: Path
    size: int
    mtime_ns: int

    def source_key(self) -> str:
        """What identifies this file at this place in this state (IngestSource.path_hash)."""
        absolute = os.fsencode(os.path.abspath(self.path))
        return hashlib.sha256(b"%s|%d|%d" % (absolute, self.size, self.mtime_ns)).hexdigest()


@dataclass
class Walk:
    files: list[Entry] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def walk(root: Path) -> Walk:
    """Every file to ingest under ``root``, in name order, with what was left out and why.

    Hidden files and folders, sidecars and manifests, links leading out of the
    tree and anything that is not a regular file are skipped; a folder reached
    twice through links is walked once.
    """
    result = Walk()
    root_real = os.path.realpath(root)
    seen_dirs = {root_real}
    stack: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while stack:
        folder, parts = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name))
        except OSError as exc:
            result.failed.append((shown("/".join(parts) or "."), f"cannot list: {exc.strerror}"))
            continue
        siblings = {e.name.casefold() for e in entries}
        subfolders: list[tuple[str, tuple[str, ...]]] = []
        for entry in entries:
            rel = PurePosixPath(*parts, entry.name)
            name = shown(str(rel))
            if entry.name.startswith("."):
                result.skipped.append((name, "hidden"))
                continue
            try:
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if not _inside(target, root_real):
                        result.skipped.append((name, "link leading out of the tree"))
                        continue
                    if not os.path.exists(target):
                        result.failed.append((name, "cannot read: broken link"))
                        continue
                if entry.is_dir():
                    real = os.path.realpath(entry.path)
                    if real in seen_dirs:
                        result.skipped.append((name, "folder already walked (link)"))
                        continue
                    seen_dirs.add(real)
                    subfolders.append((entry.path, (*parts, entry.name)))
                    continue
                info = entry.stat()
            except OSError as exc:
                result.failed.append((name, f"cannot read: {exc.strerror}"))
                continue
            if not stat.S_ISREG(info.st_mode):
                result.skipped.append((name, "not a regular file"))
            elif entry.name.casefold() in SYSTEM_FILES:
                result.skipped.append((name, "system file"))
            elif is_sidecar(entry.name, siblings):
                result.skipped.append((name, "station metadata"))
            else:
                result.files.append(Entry(rel, Path(entry.path), info.st_size, info.st_mtime_ns))
        stack.extend(reversed(subfolders))  # depth first, still in name order
    return result


def human(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


class Progress:
    """One line, redrawn: bytes and files done of the total."""

    WIDTH = 30

    def __init__(self, stream: TextIO, total_bytes: int, total_files: int, enabled: bool):
        self.stream, self.enabled = stream, enabled
        self.total_bytes, self.total_files = total_bytes, total_files
        self.bytes = self.files = 0
        self._drawn = 0.0

    def line(self) -> str:
        share = self.bytes / self.total_bytes if self.total_bytes else 1.0
        if not self.total_bytes and self.total_files:
            share = self.files / self.total_files
        filled = int(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        return (
            f"[{bar}] {share:4.0%}  {self.files}/{self.total_files} files  "
            f"{human(self.bytes)}/{human(self.total_bytes)}"
        )

    def add(self, count: int) -> None:
        self.bytes += count
        self.draw()

    def file_done(self) -> None:
        self.files += 1
        self.draw(force=True)

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < 0.2):
            return
        self._drawn = now
        self.stream.write("\r" + self.line(), ending="")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * len(self.line()) + "\r", ending="")

    def finish(self) -> None:
        if self.enabled:
            self.draw(force=True)
            self.stream.write("")


@dataclass
class Outcome:
    new: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Take in a folder tree of footage (a docking-station export, a camera's card). "
        "Device, officer, start and task come from the station's metadata or the file "
        "names (docs/ingest.md). Running it again imports nothing twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="The folder to take in (or a single file).")
        parser.add_argument(
            "--as",
            dest="username",
            help="Who hands the files in (received from). Default: the officer each file names.",
        )
        parser.add_argument("--case", help="Link every file to this case (its number).")
        parser.add_argument("--stage", help="The case stage to link at (default: its stage).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what each file would be taken in as; store nothing.",
        )
        progress = parser.add_mutually_exclusive_group()
        progress.add_argument(
            "--progress",
            dest="progress",
            action="store_true",
            default=None,
            help="Always draw the progress bar.",
        )
        progress.add_argument(
            "--no-progress", dest="progress", action="store_false", help="Never draw it."
        )

    def handle(self, *args, **options) -> None:
        root = Path(options["path"])
        if not root.exists():
            raise CommandError(f"{shown(str(root))} does not exist.")
        actor = self._actor(options["username"])
        case, stage = self._case(options["case"], options["stage"], actor)
        if root.is_file():
            info = root.stat()
            walked = Walk(
                files=[Entry(PurePosixPath(root.name), root, info.st_size, info.st_mtime_ns)]
            )
            root = root.parent
        else:
            walked = walk(root)
        outcome = Outcome(skipped=list(walked.skipped), failed=list(walked.failed))
        resolver = Resolver(root)
        total = sum(e.size for e in walked.files)
        verbose = options["verbosity"] >= 2
        enabled = options["progress"]
        if enabled is None:
            enabled = self.stdout.isatty() and not options["dry_run"]
        self.stdout.write(f"{len(walked.files)} file(s), {human(total)} under {shown(str(root))}")
        progress = Progress(self.stdout, total, len(walked.files), enabled)

        for entry in walked.files:
            name = shown(str(entry.rel))
            if options["dry_run"]:
                self._preview(entry, name, resolver, outcome)
                continue
            status, detail = self._ingest(
                entry, name, resolver, actor, case, stage, progress, outcome
            )
            progress.file_done()
            if verbose:
                progress.clear()
                self.stdout.write(f"{status:<10} {name}{'  ' + detail if detail else ''}")
        progress.finish()
        self._summary(outcome, options["dry_run"])
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} file(s) could not be taken in.")

    # --- checks before the walk

    def _actor(self, username: str | None) -> User | None:
        if username is None:
            return None
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {username!r}.")
        if not can_upload(actor):
            raise CommandError(f"{username} may not add audiovisual records.")
        return actor

    def _case(self, number: str | None, stage: str | None, actor: User | None):
        if number is None:
            if stage:
                raise CommandError("--stage needs --case.")
            return None, ""
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise CommandError(f"No case {number!r}.")
        if stage and stage not in Stage.values:
            raise CommandError(f"Unknown stage {stage!r}; one of {', '.join(Stage.values)}.")
        if actor is not None and not case_access.can(actor, "edit", case):
            raise CommandError(f"{actor.username} may not add evidence to case {number}.")
        return case, stage or case.stage

    # --- one file

    def _preview(self, entry: Entry, name: str, resolver: Resolver, outcome: Outcome) -> None:
        if IngestSource.objects.filter(path_hash=entry.source_key()).exists():
            outcome.skipped.append((name, "already taken in"))
            return
        resolved = resolver.resolve(entry.rel)
        hints = resolved.hints
        officer = hints.officer.username if hints.officer else hints.extra.get("officer_raw", "")
        self.stdout.write(
            f"{name}\n    device={hints.device_number or '-'} officer={officer or '-'} "
            f"start={hints.used_at.isoformat() if hints.used_at else '-'} "
            f"task={hints.task_reference or '-'} layout={hints.extra.get('layout', '-')}"
        )
        outcome.new.append(name)
        outcome.warnings.extend((name, w) for w in resolved.warnings)

    def _ingest(self, entry, name, resolver, actor, case, stage, progress, outcome):
        key = entry.source_key()
        if IngestSource.objects.filter(path_hash=key).exists():
            outcome.skipped.append((name, "already taken in"))
            progress.add(entry.size)
            return "skipped", "already taken in"
        resolved = resolver.resolve(entry.rel)
        outcome.warnings.extend((name, w) for w in resolved.warnings)
        hints = resolved.hints
        hints.extra["path"] = name
        receiver = actor or hints.officer
        if receiver is None:
            reason = "no one to receive it from: the layout names no known officer; use --as"
            outcome.failed.append((name, reason))
            progress.add(entry.size)
            return "failed", reason
        if not can_upload(receiver):
            reason = f"{receiver.username} may not add audiovisual records; use --as"
            outcome.failed.append((name, reason))
            progress.add(entry.size)
            return "failed", reason
        try:
            spooled = spool_chunks(self._read(entry, progress))
        except StorageFull:
            raise CommandError(str(StorageFull())) from None
        except OSError as exc:
            reason = f"cannot read: {exc.strerror or exc}"
            outcome.failed.append((name, reason))
            return "failed", reason
        if spooled.size != entry.size:
            outcome.warnings.append((name, "the file changed while it was read"))

        def remember_source(item, created: bool) -> None:
            IngestSource.objects.get_or_create(
                path_hash=key, defaults={"path": shown(os.path.abspath(entry.path)), "item": item}
            )

        try:
            # Not inside a transaction of ours: the store's I/O comes first and holds no
            # database lock; the source is remembered in the item's own transaction.
            result = ingest_spooled(
                spooled,
                actor=receiver,
                original_name=_decoded(os.fsencode(entry.rel.name)),  # safe_name cleans it
                source="ingest",
                hints=hints,
                case=case,
                stage=stage,
                within=remember_source,
            )
        except StorageFull:
            raise CommandError(str(StorageFull())) from None
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the others
            reason = "; ".join(getattr(exc, "messages", None) or [str(exc)]) or type(exc).__name__
            outcome.failed.append((name, reason))
            return "failed", reason
        finally:
            spooled.path.unlink(missing_ok=True)
        if result.created:
            outcome.new.append(name)
            return "new", f"#{result.item.pk}"
        outcome.duplicates.append(name)
        if not visible_media(receiver).filter(pk=result.item.pk).exists():
            # Held in a record out of the receiver's reach: not which one, nor where.
            return "duplicate", "same bytes as a record already held"
        return "duplicate", f"same bytes as #{result.item.pk}"

    @staticmethod
    def _read(entry: Entry, progress: Progress) -> Iterator[bytes]:
        with open(entry.path, "rb") as handle:
            while block := handle.read(CHUNK):
                progress.add(len(block))
                yield block

    # --- the report

    def _summary(self, outcome: Outcome, dry_run: bool) -> None:
        skipped = Counter(reason for _name, reason in outcome.skipped)
        self.stdout.write("")
        if dry_run:
            self.stdout.write(f"would take in: {len(outcome.new)}")
        else:
            self.stdout.write(f"new: {len(outcome.new)}")
            self.stdout.write(f"duplicates: {len(outcome.duplicates)}")
        detail = ", ".join(f"{reason} {count}" for reason, count in sorted(skipped.items()))
        self.stdout.write(f"skipped: {len(outcome.skipped)}" + (f" ({detail})" if detail else ""))
        self.stdout.write(f"failed: {len(outcome.failed)}")
        for name, reason in outcome.failed:
            self.stdout.write(self.style.ERROR(f"  {name}: {reason}"))
        if outcome.warnings:
            self.stdout.write(f"warnings: {len(outcome.warnings)}")
            # One line per kind of warning: a station naming an unknown officer names
            # them on every file.
            grouped: dict[str, list[str]] = {}
            for name, warning in outcome.warnings:
                grouped.setdefault(warning, []).append(name)
            for warning, names in grouped.items():
                where = names[0] if len(names) == 1 else f"{len(names)} files, e.g. {names[0]}"
                self.stdout.write(self.style.WARNING(f"  {where}: {warning}"))
