"""The case file on disc (第十三条、第十六条): one BagIt package (RFC 8493) of a case, and an
ISO 9660 image with Joliet and UDF of it, that a court or reviewing body verifies without
trusting the server.

The package holds the case's originals, its issued written records (PDF) when the
written-records app is installed, the case's metadata as JSON, its audit trail with an
inclusion proof of every entry to the latest signed tree head and the public key, the
offline verifier (``data/verify.py``) and an index page in Chinese. Payload manifests in
SHA-256, SHA-512 and SM3 (GB/T 32905, 密评: the integrity of important data with a
commercial-cryptography algorithm), tag manifests in all three.

Cost: each original is copied once (``shutil.copyfile``: the kernel's copy, as ``cp``)
and read back once, hashing SHA-256 and SHA-512 in the same pass, two files at a time
(hashlib releases the GIL). The SHA-256 read back must equal the one the store recorded at
receipt: that comparison proves both that the stored original is intact and that the copy
on disc is exact, so the original is never hashed twice. The copy being byte for byte the
original, its SM3 is the one the worker recorded after ingest (``security/digests.py``)
when that digest is vouched for (found intact by the last check and agreeing with its entry
in the signed audit log); any other original — one the worker has not reached yet, or whose
digest row disagrees with the log — is hashed with SM3 in the same pass and compared with
the recorded digest. SM3 has no hardware path: it runs at about a fifth of SHA-256's speed
here, and hashing 2 GiB with it alone takes several times as long as copying them.
Everything streams in 4 MiB blocks; memory does not grow with the size of the case. The
package is written into a hidden sibling directory and renamed into place only once
verified, so a full or read-only disk never leaves a package reported done.
"""

from __future__ import annotations

import errno
import hashlib
import html
import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.access.choices import Purpose, RequestState
from fullrecord.access.models import AccessRequest
from fullrecord.accounts.models import User
from fullrecord.audit import merkle, signing
from fullrecord.audit.models import AuditEntry, SignedTreeHead
from fullrecord.audit.services import record, sign_tree_head
from fullrecord.cases.choices import Stage
from fullrecord.cases.models import Case
from fullrecord.media.filenames import safe_name
from fullrecord.media.models import CaseMediaLink
from fullrecord.media.store import StoreError, get_store
from fullrecord.security.sm3 import SM3Hash, sm3_of_originals, vouched_sm3_of_originals

from . import access
from .models import CaseExport

CHUNK = 4 * 1024 * 1024
VERIFIER = Path(__file__).resolve().parent / "verify_package.py"
STAGE_ORDER = list(Stage.values)
Progress = Callable[[int, int, str], None]


class ExportError(ValidationError):
    """The export cannot be made; the message says why in the user's language."""

    def __str__(self) -> str:
        return " ".join(self.messages)


@dataclass
class Result:
    directory: Path
    files: int
    payload_bytes: int
    tagmanifest_sha256: str
    tagmanifest_sm3: str = ""
    iso: Path | None = None
    iso_sha256: str = ""
    iso_size: int = 0
    entries: int = 0
    written_records: int = 0
    problems: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- who may export


def approved_request(case: Case, actor: User, number: str) -> AccessRequest:
    """The actor's approved, unexpired export request for the whole case (第十七条)."""
    if not access.can_export(actor):
        raise ExportError(_("Only the archivist exports a case file."))
    request = AccessRequest.objects.filter(number=(number or "").strip(), requester=actor).first()
    if request is None:
        raise ExportError(_("No access request of yours has that number."))
    if request.purpose != Purpose.EXPORT:
        raise ExportError(_("That request is not an export request."))
    if request.state != RequestState.APPROVED or not request.is_active():
        raise ExportError(_("That export request is not approved or its approval has ended."))
    if request.case_id != case.pk:
        raise ExportError(_("That export request does not cover this whole case."))
    return request


def start(case: Case, *, actor: User, request_number: str, iso: bool = True) -> CaseExport:
    """Register an export and hand it to a background worker (the button)."""
    request = approved_request(case, actor, request_number)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    root = Path(settings.FULLRECORD_EXPORTS_DIR)
    name = f"{safe_name(case.number)}-{stamp}"
    with transaction.atomic():
        job = CaseExport.objects.create(
            case=case,
            request=request,
            made_by=actor,
            directory=str(root / name),
            iso_path=str(root / f"{name}.iso") if iso else "",
            step=_("Waiting for a worker"),
        )
        from .tasks import export_case

        transaction.on_commit(lambda: export_case.enqueue(job.pk))
    return job


def run(export_id: int) -> str:
    """The worker's side of :func:`start`; progress goes to the row the page polls."""
    job = CaseExport.objects.select_related("case", "request", "made_by").get(pk=export_id)
    if job.state != CaseExport.RUNNING:
        return job.state
    last = [0.0]

    def progress(done: int, total: int, step: str) -> None:
        now = timezone.now().timestamp()
        if now - last[0] >= 0.5 or done >= total:
            last[0] = now
            CaseExport.objects.filter(pk=job.pk).update(
                done_bytes=done, total_bytes=total, step=step[:100]
            )

    try:
        result = export_case(
            job.case,
            actor=job.made_by,
            request=job.request,
            out=Path(job.directory),
            iso=Path(job.iso_path) if job.iso_path else None,
            progress=progress,
        )
    except ExportError as exc:
        CaseExport.objects.filter(pk=job.pk).update(
            state=CaseExport.FAILED, problem=str(exc), finished_at=timezone.now()
        )
        return CaseExport.FAILED
    CaseExport.objects.filter(pk=job.pk).update(
        state=CaseExport.DONE,
        finished_at=timezone.now(),
        step=_("Verified"),
        done_bytes=result.payload_bytes,
        total_bytes=result.payload_bytes,
        iso_sha256=result.iso_sha256,
        iso_size=result.iso_size,
    )
    return CaseExport.DONE


def hand_out(job: CaseExport, *, actor: User):
    """The disc image as a download, recorded (every byte leaving is attributed)."""
    from django.http import FileResponse, Http404

    if job.state != CaseExport.DONE or not job.iso_path or not Path(job.iso_path).is_file():
        raise Http404
    with transaction.atomic():
        record(
            "retention.export_download",
            actor=actor,
            obj=job.case,
            case_id=job.case_id,
            summary=_("Disc image of case %(number)s downloaded") % {"number": job.case.number},
            data={"request": job.request.number, "sha256": job.iso_sha256, "size": job.iso_size},
        )
    return FileResponse(
        open(job.iso_path, "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=f"{job.case.number}.iso",
        content_type="application/x-iso9660-image",
    )


# ---------------------------------------------------------------- the package


def _fail_on_os_error(exc: OSError, where: Path) -> ExportError:
    if exc.errno == errno.ENOSPC:
        return ExportError(
            _("The target %(path)s is full: nothing was exported. Free space or choose another.")
            % {"path": where}
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ExportError(
            _("The target %(path)s is read-only or not writable: nothing was exported.")
            % {"path": where}
        )
    return ExportError(
        _("Writing to %(path)s failed (%(error)s): nothing was exported.")
        % {"path": where, "error": exc.strerror or exc}
    )


def _links(case: Case) -> list[CaseMediaLink]:
    links = list(
        CaseMediaLink.objects.filter(case=case).select_related(
            "item", "item__officer", "item__org_unit", "item__cause"
        )
    )
    links.sort(key=lambda link: (STAGE_ORDER.index(link.stage), link.item.used_at, link.item_id))
    return links


def _bag_path(link: CaseMediaLink) -> str:
    stage = f"{STAGE_ORDER.index(link.stage) + 1:02d}-{link.stage}"
    return f"data/originals/{stage}/{link.item_id}-{safe_name(link.item.original_name)}"


def _copy_and_hash(
    store, sha256: str, target: Path, done: Callable[[int], None], sm3: str | None = None
) -> tuple[str, str, str]:
    """Copy the original to ``target`` (the kernel's copy when the store is a directory),
    then read the copy back once, hashing SHA-256 and SHA-512 together, and SM3 too unless
    ``sm3``, the original's recorded SM3, is given: a copy whose SHA-256 is the original's
    is the original, so it has that SM3."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = store.local_path(sha256)
    try:
        if source is not None:
            shutil.copyfile(source, target)
        else:
            with store.open(sha256) as src, open(target, "xb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
    except (FileNotFoundError, StoreError) as exc:
        raise _Missing(sha256) from exc
    digests = [hashlib.sha256(), hashlib.sha512()]
    if sm3 is None:
        digests.append(SM3Hash())
    with open(target, "rb", buffering=0) as handle:
        buffer = bytearray(CHUNK)
        view = memoryview(buffer)
        while read := handle.readinto(buffer):
            block = view[:read]
            for digest in digests:
                digest.update(block)
            done(read)
    found = [digest.hexdigest() for digest in digests]
    return found[0], found[1], sm3 if sm3 is not None else found[2]


class _Missing(Exception):
    def __init__(self, sha256: str) -> None:
        self.sha256 = sha256


def _write(path: Path, data: bytes, hashes: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    hashes[path] = (
        hashlib.sha256(data).hexdigest(),
        hashlib.sha512(data).hexdigest(),
        SM3Hash(data).hexdigest(),
        len(data),
    )


# The manifests' algorithms, in the order of the digests ``hashes`` keeps per file.
ALGORITHMS = (("sha256", hashlib.sha256), ("sha512", hashlib.sha512), ("sm3", SM3Hash))


def _mask(number: str) -> str:
    """个人信息保护法: identity numbers leave masked, as the pages show them."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _stamp(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else None


def _metadata(case: Case, links: list[CaseMediaLink], records: list[dict]) -> dict:
    return {
        "case": {
            "number": case.number,
            "cause": case.cause.name,
            "state": case.state,
            "state_label": case.get_state_display(),
            "handling_unit": case.org_unit.name,
            "bureau": case.org_unit.bureau().name,
            "address": case.address,
            "summary": case.summary,
            "discovered_on": case.discovered_on.isoformat(),
            "filed_on": case.filed_on.isoformat() if case.filed_on else None,
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        },
        "parties": [
            {
                "kind": p.kind,
                "name": p.name,
                "id_type": p.id_type,
                "id_number_masked": _mask(p.id_number),
            }
            for p in case.parties.all()
        ],
        "officers": [
            {
                "name": a.officer.full_name or a.officer.username,
                "certificate_number": a.officer.certificate_number,
                "lead": a.is_lead,
            }
            for a in case.assignments.select_related("officer")
        ],
        "transitions": [
            {
                "name": t.name,
                "from": t.from_state,
                "to": t.to_state,
                "at": _stamp(t.at),
                "actor": t.actor.full_name or t.actor.username,
                "reason": t.reason,
            }
            for t in case.transitions.select_related("actor")
        ],
        "originals": [
            {
                "id": link.item_id,
                "path": _bag_path(link),
                "name": link.item.original_name,
                "sha256": link.item.sha256,
                "size": link.item.size,
                "kind": link.item.kind,
                "stage": link.stage,
                "received_at": _stamp(link.item.received_at),
                # 第十五条: the six classification fields.
                "section": link.item.org_unit.name if link.item.org_unit else "",
                "device_number": link.item.device_number,
                "officer": str(link.item.officer or ""),
                "used_at": _stamp(link.item.used_at),
                "party": link.item.party_name,
                "cause": link.item.cause.name if link.item.cause else "",
            }
            for link in links
        ],
        "written_records": records,
    }


def _audit(case: Case, links: list[CaseMediaLink], base: Path, hashes: dict) -> int:
    """The case's trail, each entry with its inclusion proof to the latest signed head."""
    sign_tree_head()
    head = SignedTreeHead.objects.order_by("-tree_size").first()
    items = [str(link.item_id) for link in links]
    entries = AuditEntry.objects.filter(
        Q(case_id=case.pk) | Q(object_type="media.mediaitem", object_id__in=items),
        seq__lte=head.tree_size,
    ).order_by("seq")
    leaves = [
        bytes.fromhex(h)
        for h in AuditEntry.objects.filter(seq__lte=head.tree_size)
        .order_by("seq")
        .values_list("leaf_hash", flat=True)
        .iterator(chunk_size=10000)
    ]
    lines = []
    for entry in entries.iterator(chunk_size=1000):
        row = {
            "seq": entry.seq,
            "at": _stamp(entry.at),
            "actor": entry.actor_id,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "case": entry.case_id,
            "summary": entry.summary,
            "data": entry.data,
            "prev": entry.prev_hash,
            "entry_hash": entry.entry_hash,
            "leaf_hash": entry.leaf_hash,
            "proof": [n.hex() for n in merkle.inclusion_proof(entry.seq - 1, leaves)],
        }
        lines.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
    _write(base / "audit" / "entries.jsonl", ("\n".join(lines) + "\n").encode(), hashes)
    _write(
        base / "audit" / "tree-head.json",
        json.dumps(
            {
                "tree_size": head.tree_size,
                "root_hash": head.root_hash,
                "signed_at": _stamp(head.signed_at),
                "key_id": head.key_id,
                "signature": head.signature,
            },
            indent=2,
        ).encode(),
        hashes,
    )
    _write(base / "audit" / "public-key.pem", signing.public_key_pem().encode(), hashes)
    return len(lines)


def _index(case: Case, meta: dict, links: list[CaseMediaLink], exported_by: str) -> bytes:
    """The page a person opens from the disc: every stage with its records, in Chinese."""
    e = html.escape
    rows = []
    for stage in Stage:
        moves = [t for t in meta["transitions"] if _stage_of(t["to"]) == stage.value]
        files = [o for o in meta["originals"] if o["stage"] == stage.value]
        records = [r for r in meta["written_records"] if r.get("stage") == stage.value]
        if not (moves or files or records):
            continue
        rows.append(f"<h2>{e(str(stage.label))}</h2><ul>")
        for move in moves:
            rows.append(
                f"<li>{e(move['at'][:19].replace('T', ' '))} {e(move['actor'])}："
                f"{e(move['name'])} {e(move['reason'])}</li>"
            )
        for record_ in records:
            rows.append(
                f'<li>文书：<a href="{e(record_["path"][5:])}">{e(record_["title"])}</a></li>'
            )
        for original in files:
            rows.append(
                f'<li>音像记录：<a href="{e(original["path"][5:])}">{e(original["name"])}</a>'
                f"（{original['size']} 字节，SHA-256 <code>{original['sha256']}</code>）</li>"
            )
        rows.append("</ul>")
    case_ = meta["case"]
    return f"""<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>案卷 {e(case_["number"])}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}}
code{{font-size:.8em;word-break:break-all}}</style></head><body>
<h1>案卷 {e(case_["number"])}</h1>
<p>{e(case_["bureau"])} · {e(case_["handling_unit"])} · 案由：{e(case_["cause"])} ·
状态：{e(case_["state_label"])}</p>
<p>地点：{e(case_["address"])}</p>
<p>导出人：{e(exported_by)} · 导出时间：{e(timezone.localtime().strftime("%Y-%m-%d %H:%M"))}</p>
<p>本光盘为 BagIt 包（RFC 8493）。校验方法：在本目录的上一级运行
<code>python3 data/verify.py .</code>（需要 Python 3.11 和 cryptography），
它逐一核对每个文件的 SHA-256 与 SHA-512、每条审计记录的哈希及其到签名树头的包含证明和签名。</p>
{"".join(rows)}
<h2>元数据与审计记录</h2><ul>
<li><a href="case.json">案件元数据（JSON）</a></li>
<li><a href="audit/entries.jsonl">审计记录（含包含证明）</a>，
<a href="audit/tree-head.json">签名树头</a>，<a href="audit/public-key.pem">公钥</a></li>
</ul></body></html>
""".encode()


def _stage_of(state: str) -> str:
    from fullrecord.cases.choices import STAGE_OF_STATE

    return STAGE_OF_STATE.get(state, "")


def _written_records(case: Case, base: Path, hashes: dict) -> list[dict]:
    """The case's issued written records and filed scans, as stored (PDF or image)."""
    from fullrecord.documents.services import (  # noqa: PLC0415
        DocumentError,
        case_file_records,
    )

    made = []
    try:
        for n, (title, stage, name, data) in enumerate(case_file_records(case), 1):
            suffix = Path(name).suffix.lower() or ".pdf"
            rel = f"records/{n:03d}-{safe_name(title)}{suffix}"
            _write(base / rel, data, hashes)
            made.append({"title": title, "stage": stage, "path": f"data/{rel}"})
    except (DocumentError, FileNotFoundError, StoreError) as exc:
        raise ExportError(
            _("A written record of the case cannot be read: nothing was exported (%(why)s).")
            % {"why": exc}
        ) from None
    return made


def _encode(path: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def export_case(
    case: Case,
    *,
    actor: User,
    request: AccessRequest,
    out: Path,
    iso: Path | None = None,
    progress: Progress | None = None,
) -> Result:
    """Write, verify and record the package (and the image). Raises ExportError."""
    progress = progress or (lambda done, total, step: None)
    out = Path(out).absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(
            _("%(path)s exists and is not empty: choose a new directory.") % {"path": out}
        )
    if not out.parent.is_dir():
        raise ExportError(_("The directory %(path)s does not exist.") % {"path": out.parent})
    links = _links(case)
    store = get_store()
    missing = [link.item for link in links if not store.exists(link.item.sha256)]
    if missing:
        raise ExportError(
            _("Originals missing from the store, nothing was exported: %(names)s")
            % {"names": "、".join(f"{i.original_name}（{i.sha256}）" for i in missing)}
        )
    partial = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
    try:
        result = _build(case, actor, request, links, store, partial, progress)
        if out.exists():
            out.rmdir()
        partial.rename(out)
        result.directory = out
        if iso is not None:
            result.iso, result.iso_sha256, result.iso_size = _iso(
                out, Path(iso).absolute(), case, progress
            )
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise _fail_on_os_error(exc, out.parent) from exc
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    with transaction.atomic():
        record(
            "retention.export",
            actor=actor,
            obj=case,
            case_id=case.pk,
            summary=_("Case file %(number)s exported: %(files)s files, %(bytes)s bytes")
            % {"number": case.number, "files": result.files, "bytes": result.payload_bytes},
            data={
                "request": request.number,
                "directory": str(out),
                "files": result.files,
                "payload_bytes": result.payload_bytes,
                "tagmanifest_sha256": result.tagmanifest_sha256,
                "tagmanifest_sm3": result.tagmanifest_sm3,
                "audit_entries": result.entries,
                "written_records": result.written_records,
                "iso": str(result.iso) if result.iso else "",
                "iso_sha256": result.iso_sha256,
                "iso_size": result.iso_size,
            },
        )
    return result


def _build(case, actor, request, links, store, root: Path, progress: Progress) -> Result:
    data = root / "data"
    data.mkdir(parents=True)
    total = sum(link.item.size for link in links)
    done = [0]
    lock = threading.Lock()

    def advance(count: int) -> None:
        with lock:
            done[0] += count
            value = done[0]
        progress(value, total, _("Copying and hashing originals"))

    hashes: dict[Path, tuple[str, str, str, int]] = {}
    # 密评: the SM3 digests the worker recorded after ingest (none yet for the newest).
    recorded_sm3 = sm3_of_originals(link.item.sha256 for link in links)
    vouched_sm3 = vouched_sm3_of_originals(link.item.sha256 for link in links)

    def one(link: CaseMediaLink) -> None:
        target = root / _bag_path(link)
        vouched = vouched_sm3.get(link.item.sha256)
        sha256, sha512, sm3 = _copy_and_hash(store, link.item.sha256, target, advance, vouched)
        if sha256 != link.item.sha256 or recorded_sm3.get(sha256, sm3) != sm3:
            raise ExportError(
                _(
                    "Original %(name)s (%(sha256)s) no longer matches its hash: nothing was "
                    "exported. Run `fullrecord verify` and restore it from the backup."
                )
                % {"name": link.item.original_name, "sha256": link.item.sha256}
            )
        with lock:
            hashes[target] = (sha256, sha512, sm3, link.item.size)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            for future in [pool.submit(one, link) for link in links]:
                future.result()
    except _Missing as gone:
        item = next(link.item for link in links if link.item.sha256 == gone.sha256)
        raise ExportError(
            _("Original %(name)s (%(sha256)s) is missing from the store: nothing was exported.")
            % {"name": item.original_name, "sha256": item.sha256}
        ) from None
    progress(total, total, _("Writing metadata and the audit trail"))
    records = _written_records(case, data, hashes)
    meta = _metadata(case, links, records)
    _write(data / "case.json", json.dumps(meta, ensure_ascii=False, indent=2).encode(), hashes)
    entries = _audit(case, links, data, hashes)
    exporter = (
        f"{actor.full_name or actor.username}（{actor.certificate_number or actor.username}）"
    )
    _write(data / "index.html", _index(case, meta, links, exporter), hashes)
    _write(data / "verify.py", VERIFIER.read_bytes(), hashes)
    payload = sorted(hashes.items(), key=lambda kv: str(kv[0]))
    oxum_bytes = sum(digests[-1] for _, digests in payload)
    manifests = {}
    for index, (algorithm, _fn) in enumerate(ALGORITHMS):
        manifests[f"manifest-{algorithm}.txt"] = "".join(
            f"{digests[index]}  {_encode(path.relative_to(root).as_posix())}\n"
            for path, digests in payload
        ).encode()
    bureau = case.org_unit.bureau().name
    tags = {
        "bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
        "bag-info.txt": (
            f"Source-Organization: {bureau}\n"
            f"External-Identifier: {case.number}\n"
            f"External-Description: 案卷 {case.number}（{case.cause.name}）全过程记录\n"
            f"Bagging-Date: {timezone.localdate().isoformat()}\n"
            f"Export-Date: {timezone.localtime().isoformat(timespec='seconds')}\n"
            f"Contact-Name: {exporter}\n"
            f"Internal-Sender-Identifier: {request.number}\n"
            f"Payload-Oxum: {oxum_bytes}.{len(payload)}\n"
            f"Bag-Software-Agent: fullrecord\n"
        ).encode(),
        **manifests,
    }
    for name, content in tags.items():
        (root / name).write_bytes(content)
    for algorithm, fn in ALGORITHMS:
        (root / f"tagmanifest-{algorithm}.txt").write_bytes(
            "".join(
                f"{fn(content).hexdigest()}  {name}\n" for name, content in tags.items()
            ).encode()
        )
    progress(total, total, _("Reading the package back"))
    problems = _read_back(root, skip={p for p in hashes if p.is_relative_to(data / "originals")})
    if problems:
        raise ExportError(
            _("The package did not verify: %(problems)s") % {"problems": "; ".join(problems)}
        )
    return Result(
        directory=root,
        files=len(payload),
        payload_bytes=oxum_bytes,
        tagmanifest_sha256=hashlib.sha256(
            (root / "tagmanifest-sha256.txt").read_bytes()
        ).hexdigest(),
        tagmanifest_sm3=SM3Hash((root / "tagmanifest-sm3.txt").read_bytes()).hexdigest(),
        entries=entries,
        written_records=len(records),
    )


def _read_back(root: Path, *, skip: Iterable[Path] = ()) -> list[str]:
    """Every manifest line against the bytes on disk; the originals (``skip``) were read back
    already while they were hashed."""
    skip = set(skip)
    problems = []
    for manifest, fn in (
        ("manifest-sha256.txt", hashlib.sha256),
        ("tagmanifest-sha256.txt", hashlib.sha256),
        ("manifest-sm3.txt", SM3Hash),
        ("tagmanifest-sm3.txt", SM3Hash),
    ):
        for line in (root / manifest).read_text(encoding="utf-8").splitlines():
            digest, name = line.split("  ", 1)
            path = root / name.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
            if path in skip:
                continue
            if not path.is_file() or fn(path.read_bytes()).hexdigest() != digest:
                problems.append(name)
    return problems


# ---------------------------------------------------------------- the disc image


def _iso(bag: Path, target: Path, case: Case, progress: Progress) -> tuple[Path, str, int]:
    """ISO 9660 (level 3) + Joliet + UDF 2.60 with pycdlib; read back, each file hash-matched."""
    import pycdlib

    files = sorted(p for p in bag.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    image = pycdlib.PyCdlib()
    image.new(
        interchange_level=3,
        joliet=3,
        udf="2.60",
        vol_ident=f"FR{case.pk}"[:32],
        app_ident_str="fullrecord",
    )
    directories: dict[Path, str] = {bag: ""}
    counter = [0]

    def iso_dir(path: Path) -> str:
        if path in directories:
            return directories[path]
        parent = iso_dir(path.parent)
        counter[0] += 1
        name = f"{parent}/D{counter[0]:06d}"
        rel = path.relative_to(bag).as_posix()
        image.add_directory(name, joliet_path=_joliet("/" + rel), udf_path="/" + rel)
        directories[path] = name
        return name

    for number, path in enumerate(files, 1):
        parent = iso_dir(path.parent)
        rel = path.relative_to(bag).as_posix()
        image.add_file(
            str(path),
            f"{parent}/F{number:06d}.;1",
            joliet_path=_joliet("/" + rel),
            udf_path="/" + rel,
        )
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        progress(0, total, _("Writing the disc image"))
        image.write(str(partial))
        image.close()
        progress(total, total, _("Reading the disc image back"))
        problems = verify_iso(partial, bag)
        if problems:
            raise ExportError(
                _("The disc image did not verify: %(problems)s")
                % {"problems": "; ".join(problems[:5])}
            )
        digest = hashlib.sha256()
        with open(partial, "rb") as handle:
            while block := handle.read(CHUNK):
                digest.update(block)
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target, digest.hexdigest(), target.stat().st_size


def _joliet(path: str) -> str:
    """Joliet names are short (pycdlib counts 64 bytes of UTF-8: about 21 Chinese
    characters): longer ones are cut, the extension kept. Names here begin with the
    record's number, so cut names stay distinct; UDF keeps the whole name."""
    parts = []
    for part in path.strip("/").split("/"):
        if len(part.encode()) > 64:
            stem, dot, ext = part.rpartition(".")
            tail = f"~.{ext}" if dot and len(ext) < 10 else "~"
            room = 64 - len(tail.encode())
            cut = (stem if dot and len(ext) < 10 else part).encode()[:room]
            part = cut.decode("utf-8", errors="ignore") + tail
        parts.append(part)
    return "/" + "/".join(parts)


def verify_iso(iso: Path, bag: Path) -> list[str]:
    """Open the image as a reader would and hash every file in it (through UDF) against the
    package's SHA-256 manifests; a file missing or different is named."""
    import pycdlib

    expected = {}
    for manifest in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        for line in (bag / manifest).read_text(encoding="utf-8").splitlines():
            digest, name = line.split("  ", 1)
            expected[name] = digest
    for name in ["manifest-sha256.txt", *sorted(p.name for p in bag.glob("tagmanifest-*.txt"))]:
        expected.setdefault(name, hashlib.sha256((bag / name).read_bytes()).hexdigest())
    expected["tagmanifest-sha256.txt"] = hashlib.sha256(
        (bag / "tagmanifest-sha256.txt").read_bytes()
    ).hexdigest()
    image = pycdlib.PyCdlib()
    image.open(str(iso))
    problems = []
    try:
        for name, digest in expected.items():
            sink = _HashSink()
            try:
                image.get_file_from_iso_fp(sink, udf_path="/" + name)
            except pycdlib.pycdlibexception.PyCdlibException:
                problems.append(f"{name}: not in the image")
                continue
            if sink.hexdigest() != digest:
                problems.append(f"{name}: differs")
    finally:
        image.close()
    return problems


class _HashSink:
    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
