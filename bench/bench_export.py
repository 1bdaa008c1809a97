"""export_vs_cp: the time to export a case file with 2 GiB of originals as a verified BagIt
package (``retention.export.export_case``: copy, SHA-256 + SHA-512 read back, metadata,
audit trail with proofs, read back) over ``cp -r`` of the same original files.

    .venv/bin/python bench/bench_export.py [--gib 2] [--files 8] [--runs 3] [--iso]

Goal (issue 12): export_vs_cp ≤ 2. The originals are generated once into the cache
(``/tmp/fullrecord-bench/export``, random bytes, so nothing compresses or dedups) and are
warm in the page cache for both sides; each run writes to a fresh directory on the same
disk and removes it. ``--iso`` also times the disc image (write + read back), reported
apart, as ``cp`` makes no image.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CACHE  # noqa: E402

DATA = CACHE / "export"


def setup() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    os.environ["FULLRECORD_DATA_DIR"] = str(DATA)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def dataset(gib: float, files: int):
    """The case with ``files`` originals adding up to ``gib`` GiB, made once."""
    from fullrecord.access import services as access_services
    from fullrecord.accounts.models import User
    from fullrecord.cases.models import Case
    from fullrecord.media import services as media_services
    from fullrecord.media.spool import spool_file

    number = f"BENCH-{gib}-{files}"
    case = Case.objects.filter(summary=number).first()
    if case is None:
        from fullrecord.core.testing.factories import CaseFactory
        from fullrecord.core.testing.personas import build_bureau

        bureau = build_bureau() if not User.objects.filter(username="archivist").exists() else None
        archivist = User.objects.get(username="archivist")
        officer = User.objects.get(username="officer")
        leader = User.objects.get(username="leader")
        section = officer.org_unit
        case = CaseFactory(org_unit=section, created_by=officer, summary=number)
        case.assignments.create(officer=officer, is_lead=True)
        size = int(gib * 1024**3) // files
        for n in range(files):
            with tempfile.NamedTemporaryFile(dir=DATA, delete=False) as raw:
                for _ in range(size // (4 * 1024**2)):
                    raw.write(os.urandom(4 * 1024**2))
                raw.write(os.urandom(size % (4 * 1024**2)))
            with open(raw.name, "rb") as handle:
                spooled = spool_file(handle)
            os.unlink(raw.name)
            item = media_services.ingest_spooled(
                spooled, actor=officer, original_name=f"执法记录仪视频_{n:03d}.mp4", source="bench"
            ).item
            media_services.link_to_case(item, case, stage=case.stage, actor=officer)
        request = access_services.file_request(
            requester=archivist, reason="基准测试", purpose="export", case=case
        )
        access_services.decide(request, actor=leader, approve=True, days=90)
        del bureau
    from fullrecord.access.models import AccessRequest

    request = AccessRequest.objects.filter(case=case, purpose="export").latest("pk")
    if request.state != "approved":
        from fullrecord.access import services as access_services
        from fullrecord.accounts.models import User

        leader = User.objects.get(username="leader")
        request = access_services.decide(request, actor=leader, approve=True, days=90)
    return case, request


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=float, default=2)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--iso", action="store_true")
    args = parser.parse_args()
    setup()
    case, request = dataset(args.gib, args.files)
    from fullrecord.media.models import MediaItem
    from fullrecord.media.store import get_store
    from fullrecord.retention import export

    store = get_store()
    items = MediaItem.objects.filter(case_links__case=case)
    source = DATA / "cp-source"
    if not source.exists():
        source.mkdir()
        for item in items:
            os.link(store.local_path(item.sha256), source / f"{item.pk}-{item.original_name}")
    total = sum(i.size for i in items)
    # As in service: the worker computed each original's SM3 soon after ingest (once).
    from fullrecord.security import digests

    for item in items:
        digests.compute(item.sha256)
    for item in items:  # warm the page cache for both sides
        with open(store.local_path(item.sha256), "rb") as handle:
            while handle.read(16 * 1024**2):
                pass
    cp_times, export_times, iso_times = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory(dir=DATA) as work:
            cp_times.append(
                timed(lambda: subprocess.run(["cp", "-r", str(source), f"{work}/cp"], check=True))
            )
            shutil.rmtree(f"{work}/cp")
            subprocess.run(["sync"], check=True)
            export_times.append(
                timed(
                    lambda: export.export_case(
                        case, actor=request.requester, request=request, out=Path(work) / "bag"
                    )
                )
            )
            if args.iso:
                shutil.rmtree(Path(work) / "bag")
                iso_times.append(
                    timed(
                        lambda: export.export_case(
                            case,
                            actor=request.requester,
                            request=request,
                            out=Path(work) / "bag",
                            iso=Path(work) / "case.iso",
                        )
                    )
                )
        subprocess.run(["sync"], check=True)
    ratios = [e / c for e, c in zip(export_times, cp_times, strict=True)]
    print(f"# {args.files} originals, {total / 1024**3:.2f} GiB; runs: {args.runs}")
    print("# cp -r s: " + ", ".join(f"{t:.2f}" for t in cp_times))
    print("# export s: " + ", ".join(f"{t:.2f}" for t in export_times))
    print(f"export_vs_cp: {statistics.median(ratios):.2f}")
    print(f"# export_vs_cp per run: {', '.join(f'{r:.2f}' for r in ratios)}")
    if iso_times:
        print("# export with ISO s: " + ", ".join(f"{t:.2f}" for t in iso_times))
        print(
            f"export_iso_vs_cp: {statistics.median(i / c for i, c in zip(iso_times, cp_times, strict=True)):.2f}"
        )


if __name__ == "__main__":
    main()
