"""Copies handed out under an approved request (第十八条第三项).

Video and images carry a burned-in watermark; audio carries it in its metadata.
Originals leave the system only in the archivist's approved export package.
Each copy's own SHA-256 is recorded with the request and in the audit log.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.accounts.models import User
from fullrecord.audit import signing
from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.audit.services import record
from fullrecord.media.choices import MediaKind
from fullrecord.media.filenames import safe_name
from fullrecord.media.models import MediaItem
from fullrecord.media.spool import work_dir
from fullrecord.media.store import get_store

from . import watermark
from .choices import Purpose
from .models import AccessRequest, Copy
from .services import AccessError, clip_data

WATERMARKED = "watermarked"  # a copy handed out as a file (copy and export requests)
RENDITION = "rendition"  # played in the browser by someone who sees the item through a request
HANDED_OUT = ("watermarked", "export")  # what "copies made" lists and downloads


def copies_dir() -> Path:
    path = Path(settings.FULLRECORD_COPIES_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def watermark_lines(request: AccessRequest, actor: User) -> list[str]:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    who = actor.certificate_number or actor.username
    return [f"{actor.full_name or actor.username} {who}", stamp, request.number]


def items_in_scope(request: AccessRequest):
    items = MediaItem.objects.filter(access_requests=request)
    if request.case_id:
        items = items | MediaItem.objects.filter(case_links__case_id=request.case_id)
    return items.distinct().order_by("used_at", "id")


def check_copy_allowed(request: AccessRequest, actor: User, item: MediaItem | None = None) -> None:
    if actor.pk != request.requester_id:
        raise AccessError(_("Only the requester may take copies under this request."))
    if not request.is_active():
        raise AccessError(_("This request is not approved or its approval has ended."))
    if not request.allows_copies:
        raise AccessError(_("This request allows viewing only; file a request for copies."))
    if item is not None and not items_in_scope(request).filter(pk=item.pk).exists():
        raise AccessError(_("This record is outside the request's scope."))


def start_copy(request: AccessRequest, item: MediaItem, *, actor: User) -> Copy:
    """Register a pending copy and hand the work to a background worker."""
    check_copy_allowed(request, actor, item)
    if (
        item.kind not in (MediaKind.VIDEO, MediaKind.PHOTO, MediaKind.AUDIO)
        or item.status == "unplayable"
    ):
        raise AccessError(
            _("A watermarked copy can only be made of a playable video, photo or audio.")
        )
    return Copy.objects.create(
        request=request,
        item=item,
        made_by=actor,
        kind=WATERMARKED,
        # A clip request's copy holds only the clip (from–to), as the leader approved it.
        clip_start=request.clip_start,
        clip_end=request.clip_end,
    )


def clip_text(copy: Copy) -> str:
    """``12.0–20.5 s`` of a clip copy, else empty."""
    if copy.clip_start is None:
        return ""
    return f"{copy.clip_start:.1f}–{copy.clip_end:.1f} s"


def copy_manifest(copy: Copy, lines: list[str]) -> dict[str, str]:
    """What a copy says about itself in its file's metadata: the request, the original it
    was made from (by hash), the watermark and, for a clip, the stretch it holds."""
    manifest = {
        "comment": " / ".join(lines),
        "description": f"{copy.request.number} sha256:{copy.item.sha256}",
    }
    if copy.clip_start is not None:
        manifest["description"] += f" clip:{copy.clip_start:.2f}-{copy.clip_end:.2f}s"
    return manifest


def prepare_rendition(request: AccessRequest, item: MediaItem, *, actor: User) -> tuple[Copy, bool]:
    """The watermarked rendition ``actor`` plays ``item`` as under ``request``: the one
    already made or being made, else a new pending one (True when new).

    For people who see the item only through the request (第十七条): they play this, never
    the original or its plain playable copy. It carries their name, 执法证号 (or account),
    the time it was made and the request's number, like a copy; unlike a copy it is not
    handed out as a file, and a view-only request gets one too. Under a clip request it
    holds only the clip, as the copy does: the leader approved that stretch, not the
    whole record (a whole rendition made for it before is not played again).
    """
    if actor.pk != request.requester_id or not request.is_active():
        raise AccessError(_("This request is not approved or its approval has ended."))
    if not items_in_scope(request).filter(pk=item.pk).exists():
        raise AccessError(_("This record is outside the request's scope."))
    if item.kind not in (MediaKind.VIDEO, MediaKind.PHOTO, MediaKind.AUDIO):
        raise AccessError(_("Only a video, photo or audio record can be played."))
    with transaction.atomic():
        # One rendition per request, record and person: the request row serialises makers.
        AccessRequest.objects.select_for_update().filter(pk=request.pk).first()
        clip = {"clip_start": request.clip_start, "clip_end": request.clip_end}
        existing = (
            Copy.objects.filter(request=request, item=item, made_by=actor, kind=RENDITION, **clip)
            .exclude(state="failed")
            .order_by("-made_at")
            .first()
        )
        if existing is not None:
            return existing, False
        made = Copy.objects.create(
            request=request, item=item, made_by=actor, kind=RENDITION, **clip
        )
        return made, True


def make_copy(copy: Copy) -> Copy:
    """Decode the original, burn in the watermark, store the copy and record its hash."""
    item, request, actor = copy.item, copy.request, copy.made_by
    lines = watermark_lines(request, actor)
    clip = (copy.clip_start, copy.clip_end) if copy.clip_start is not None else None
    if clip is not None:
        lines = [*lines, _("Clip %(range)s") % {"range": clip_text(copy)}]
    store = get_store()
    with work_dir() as work:
        source = store.local_path(item.sha256)
        if source is None:
            source = Path(work) / "original"
            with store.open(item.sha256) as src, open(source, "wb") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
        stem = Path(item.original_name).stem[:80]
        if clip is not None:
            stem = f"{stem}-{copy.clip_start:.0f}-{copy.clip_end:.0f}s"
        manifest = copy_manifest(copy, lines)
        try:
            if item.kind == MediaKind.PHOTO:
                target, ctype, name = (
                    Path(work) / "copy.jpg",
                    "image/jpeg",
                    f"{stem}-{request.number}.jpg",
                )
                watermark.watermark_image(source, target, lines)
            elif item.kind == MediaKind.VIDEO:
                target, ctype, name = (
                    Path(work) / "copy.mp4",
                    "video/mp4",
                    f"{stem}-{request.number}.mp4",
                )
                watermark.watermark_video(source, target, lines, clip=clip, metadata=manifest)
            else:
                target, ctype, name = (
                    Path(work) / "copy.m4a",
                    "audio/mp4",
                    f"{stem}-{request.number}.m4a",
                )
                _tagged_audio(source, target, manifest, clip=clip)
        except Exception as exc:  # a copy that cannot be made is reported, never half-kept
            Copy.objects.filter(pk=copy.pk).update(state="failed", problem=str(exc)[:300])
            return Copy.objects.get(pk=copy.pk)
        action = "access.rendition" if copy.kind == RENDITION else "access.copy"
        return _keep(copy, target, ctype, name, " / ".join(lines), action)


def _tagged_audio(
    source: Path, target: Path, metadata: dict[str, str], clip: tuple[float, float] | None = None
) -> None:
    import av

    with av.open(str(source)) as src, av.open(str(target), "w", format="mp4") as dst:
        dst.metadata.update(metadata)
        ain = next(s for s in src.streams if s.type == "audio")
        aout = dst.add_stream("aac", rate=ain.codec_context.sample_rate or 44100)
        if clip is not None:
            watermark.seek_before(src, ain, clip[0])
        for frame in src.decode(ain):
            if clip is not None and not watermark.keep_frame(frame, clip):
                if frame.time is not None and frame.time >= clip[1]:
                    break
                continue
            frame.pts = None
            dst.mux(aout.encode(frame))
        dst.mux(aout.encode(None))


def _keep(copy: Copy, target: Path, ctype: str, name: str, mark: str, action: str) -> Copy:
    digest = hashlib.sha256()
    with open(target, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    sha256 = digest.hexdigest()
    final = copies_dir() / f"{copy.request.number}-{copy.pk}-{sha256[:16]}{target.suffix}"
    shutil.move(target, final)
    with transaction.atomic():
        Copy.objects.filter(pk=copy.pk).update(
            state="ready",
            path=final.name,
            content_type=ctype,
            filename=safe_name(name),
            sha256=sha256,
            size=final.stat().st_size,
            watermark=mark[:300],
        )
        copy.refresh_from_db()
        record(
            action,
            actor=copy.made_by,
            obj=copy.request,
            case_id=copy.request.case_id,
            summary=_("Copy %(name)s made under %(number)s")
            % {"name": copy.filename, "number": copy.request.number},
            data={
                "request": copy.request.number,
                "item": copy.item_id,
                "sha256": sha256,
                "size": copy.size,
                "watermark": mark,
                **clip_data(copy),
            },
        )
    return copy


def sm3_lines(items, sm3s: dict[str, str]) -> bytes:
    """``<sm3>  <sha256>  <name in the bag>`` per original: how the two digests of each
    original pair up (``manifest-sm3.txt`` lists the same SM3 digests by file only)."""
    lines = ["# SM3 (GB/T 32905)  SHA-256  file"]
    for item in items:
        arcname = f"data/originals/{item.sha256}-{safe_name(item.original_name)}"
        lines.append(f"{sm3s[item.sha256]}  {item.sha256}  {arcname}")
    return ("\n".join(lines) + "\n").encode()


def _copy_original(store, item: MediaItem, dst) -> tuple[str, str]:
    """Copy one original into the bag, hashing SHA-256 and SM3 of what was written."""
    from fullrecord.security.sm3 import SM3Hash

    sha256, sm3 = hashlib.sha256(), SM3Hash()
    with store.open(item.sha256) as src:
        while block := src.read(1024 * 1024):
            sha256.update(block)
            sm3.update(block)
            dst.write(block)
    return sha256.hexdigest(), sm3.hexdigest()


def _tag_lines(files: dict[str, bytes], fn) -> bytes:
    return "".join(f"{fn(data).hexdigest()}  {name}\n" for name, data in files.items()).encode()


def export_originals(request: AccessRequest, *, actor: User) -> Copy:
    """The archivist's approved export: a BagIt package of originals that verifies itself.

    Holds the originals, their SHA-256 and SM3 manifests (密评), the custody entries of
    each item and the case, the latest signed tree head and the public key to check it.
    Each original is hashed (SHA-256 and SM3) as it is written into the bag and must match
    the SHA-256 the store recorded at receipt and the SM3 the worker recorded after
    ingest, when it has: an original changed in the store is refused, not exported.
    """
    from fullrecord.security.sm3 import SM3Hash, sm3_of_originals

    check_copy_allowed(request, actor)
    if request.purpose != Purpose.EXPORT:
        raise AccessError(_("Originals leave the system only under an approved export request."))
    items = list(items_in_scope(request))
    recorded_sm3 = sm3_of_originals(item.sha256 for item in items)
    copy = Copy.objects.create(request=request, made_by=actor, kind="export")
    store = get_store()
    with work_dir() as work:
        target = Path(work) / "export.zip"
        manifest, manifest_sm3, tags, sm3s = [], [], {}, {}
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as bag:
            for item in items:
                arcname = f"data/originals/{item.sha256}-{safe_name(item.original_name)}"
                with bag.open(arcname, "w", force_zip64=True) as dst:
                    sha256, sm3 = _copy_original(store, item, dst)
                if sha256 != item.sha256 or recorded_sm3.get(sha256, sm3) != sm3:
                    problem = _(
                        "Original %(name)s (%(sha256)s) no longer matches its hash: nothing "
                        "was exported. Run `fullrecord verify` and restore it from the backup."
                    ) % {"name": item.original_name, "sha256": item.sha256}
                    Copy.objects.filter(pk=copy.pk).update(state="failed", problem=problem[:300])
                    raise AccessError(problem)
                sm3s[item.sha256] = sm3
                manifest.append(f"{item.sha256}  {arcname}")
                manifest_sm3.append(f"{sm3}  {arcname}")
            entries = AuditEntry.objects.filter(
                object_type="media.mediaitem", object_id__in=[str(i.pk) for i in items]
            )
            if request.case_id:
                entries = entries | AuditEntry.objects.filter(case_id=request.case_id)
            custody = "".join(
                json.dumps(
                    {
                        "seq": e.seq,
                        "at": e.at.astimezone(UTC).isoformat(),
                        "actor": e.actor_id,
                        "action": e.action,
                        "object": f"{e.object_type}:{e.object_id}",
                        "summary": e.summary,
                        "data": e.data,
                        "entry_hash": e.entry_hash,
                        "leaf_hash": e.leaf_hash,
                    },
                    ensure_ascii=False,
                )
                + "\n"
                for e in entries.order_by("seq")
            ).encode()
            head = SignedTreeHead.objects.order_by("-tree_size").first()
            extra = {
                # 密评: each original's SM3 digest beside its SHA-256 (security/digests.py).
                "data/digests-sm3.txt": sm3_lines(items, sm3s),
                "data/custody.jsonl": custody,
                "data/public-key.pem": signing.public_key_pem().encode(),
                "data/tree-head.json": json.dumps(
                    {
                        "tree_size": head.tree_size,
                        "root_hash": head.root_hash,
                        "signed_at": head.signed_at.astimezone(UTC).isoformat(
                            timespec="microseconds"
                        ),
                        "signature": head.signature,
                    }
                    if head
                    else {}
                ).encode(),
            }
            for arcname, data in extra.items():
                bag.writestr(arcname, data)
                manifest.append(f"{hashlib.sha256(data).hexdigest()}  {arcname}")
                manifest_sm3.append(f"{SM3Hash(data).hexdigest()}  {arcname}")
            payload_bytes = sum(i.size for i in items) + sum(len(d) for d in extra.values())
            tags["bagit.txt"] = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
            tags["bag-info.txt"] = (
                f"Source-Organization: fullrecord\nExternal-Identifier: {request.number}\n"
                f"Bagging-Date: {timezone.localdate().isoformat()}\n"
                f"Payload-Oxum: {payload_bytes}.{len(manifest)}\n"
                f"Internal-Sender-Description: {request.reason[:200]}\n"
            ).encode()
            tags["manifest-sha256.txt"] = ("\n".join(manifest) + "\n").encode()
            tags["manifest-sm3.txt"] = ("\n".join(manifest_sm3) + "\n").encode()
            for name, data in tags.items():
                bag.writestr(name, data)
            bag.writestr("tagmanifest-sha256.txt", _tag_lines(tags, hashlib.sha256))
            bag.writestr("tagmanifest-sm3.txt", _tag_lines(tags, SM3Hash))
        return _keep(
            copy, target, "application/zip", f"{request.number}-export.zip", "", "access.export"
        )


def hand_out(copy: Copy, *, actor: User):
    """The download of a finished copy, recorded with its request and hash."""
    from django.http import FileResponse

    record(
        "access.copy_download",
        actor=actor,
        obj=copy.request,
        case_id=copy.request.case_id,
        summary=copy.filename,
        data={"request": copy.request.number, "sha256": copy.sha256},
    )
    return FileResponse(
        open(copies_dir() / copy.path, "rb"),
        as_attachment=True,  # noqa: SIM115
        filename=copy.filename,
        content_type=copy.content_type,
    )
