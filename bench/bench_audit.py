"""Audit log appends per second, and ``fullrecord verify`` against raw hashlib on the same bytes.

Reproduce:  .venv/bin/python bench/bench_audit.py        (or: make bench)
Options:    --appends 20000  --gib 2  --files 32  --reps 3  --backends sqlite,postgres
            --profile (cProfile of the appends)  --keep (keep the work directory)

Figures (one line each, ``name: value``):

* ``audit_append_per_s``: entries appended per second through
  ``fullrecord.audit.services.record`` on SQLite (the embedded database, WAL,
  ``synchronous=NORMAL`` as settings.py sets it), each append in a transaction of
  its own as the services make them (``transaction.atomic()`` around ``record``,
  which opens its savepoint inside). ``--appends`` entries after 200 not counted;
  signed tree heads are made as configured (every 1000 entries by default), so
  their cost is included. Goal: at least 2000. ``audit_append_ms_p50`` / ``_p95``
  / ``_p99`` are the per-append latencies of the same run.
* ``audit_append_per_s_postgres``: the same on PostgreSQL (a database
  ``fullrecord_bench_audit_<pid>`` created on ``FULLRECORD_BENCH_PG``, default
  ``postgres://postgres@127.0.0.1:5432``, for the run and dropped afterwards), with
  its latencies; skipped when PostgreSQL is unreachable.
* ``verify_vs_hashlib``: the throughput of the whole ``fullrecord verify`` command
  (a process of its own: start-up, the audit log walk over the appended entries,
  then re-hashing every original in the local store) in bytes of originals per
  second, divided by the throughput of ``hashlib.sha256`` reading the same stored
  files in 1 MiB blocks in this process. Median of ``--reps``, the two
  alternated; the files are in the page cache for both (the baseline's first pass
  warms them), so the figure compares verify with hashing, not with the disk.
  Goal: at least 0.5. ``verify_vs_hashlib_memory`` divides by hashlib over a
  buffer already in memory (no reads at all), the strictest baseline.

Every figure is wall-clock time. The ``#`` lines beside them give the CPU seconds
of the same runs and the load average: on a machine busy with other work the
wall-clock figures drop while the CPU-bound rates (what an idle machine would
reach at best) stay put, which tells a slow run from a slow change.

The originals (``--gib`` spread over ``--files`` files of random bytes) are taken in
through ``media.services.ingest_spooled`` after ``media.spool.spool_file``, as an
upload would be. Everything lives in a fresh directory under /tmp
(FULLRECORD_DATA_DIR), removed afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import pg_admin, pg_reachable, pg_url  # bench/ helpers

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FULLRECORD = str(Path(PYTHON).with_name("fullrecord"))
GiB = 1024**3
MiB = 1024**2
BLOCK = 1024 * 1024  # what the store's verify reads at a time (store.base.CHUNK)
WARM_UP = 200
PG_DBNAME = f"fullrecord_bench_audit_{os.getpid()}"  # two runs at once must not share it


def say(line: str) -> None:
    print(line, flush=True)


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "FULLRECORD_DEBUG", "FULLRECORD_STORAGE"):
        env.pop(name, None)
    env.update(
        FULLRECORD_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="fullrecord.settings",
        FULLRECORD_LOG_LEVEL="WARNING",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_worker(env: dict[str, str], *args: str) -> dict:
    """Run this file in ``--worker`` mode in ``env``; its last stdout line is JSON."""
    result = subprocess.run(
        [PYTHON, __file__, "--worker", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ worker side


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import django

    django.setup()


def worker_appends(count: int, profile: bool) -> None:
    """Append ``count`` entries (after a warm-up), one transaction each; print the timings."""
    _django()
    from django.db import connection, transaction

    from fullrecord.audit.models import SignedTreeHead
    from fullrecord.audit.services import record
    from fullrecord.core.testing.personas import build_bureau

    actor = build_bureau().officer

    def append(i: int) -> None:
        with transaction.atomic():
            record(
                "bench.view",
                actor=actor,
                obj=actor,
                summary=f"bench append {i}",
                data={"i": i, "via": "bench", "request": f"CY-2026-{i:06d}"},
            )

    for i in range(WARM_UP):
        append(i)
    heads_before = SignedTreeHead.objects.count()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    times = []
    cpu = time.process_time()
    started = time.perf_counter()
    for i in range(WARM_UP, WARM_UP + count):
        t0 = time.perf_counter()
        append(i)
        times.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    if profiler is not None:
        import io
        import pstats

        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(30)
        sys.stderr.write(out.getvalue())
    print(
        json.dumps(
            {
                "count": count,
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "p50": percentile(times, 0.50),
                "p95": percentile(times, 0.95),
                "p99": percentile(times, 0.99),
                "heads_signed": SignedTreeHead.objects.count() - heads_before,
                "vendor": connection.vendor,
            }
        ),
        flush=True,
    )


def worker_originals(total: int, files: int, spool_from: str) -> None:
    """Take ``files`` originals of random bytes, ``total`` bytes in all, in as uploads are."""
    _django()
    from fullrecord.accounts.models import User
    from fullrecord.media.services import ingest_spooled
    from fullrecord.media.spool import spool_file

    actor = User.objects.get(username="officer")
    source_dir = Path(spool_from)
    stored = []
    for n in range(files):
        size = total // files + (1 if n < total % files else 0)
        source = source_dir / f"original-{n:03d}.mp4"
        with open(source, "wb") as out:
            left = size
            while left:
                block = os.urandom(min(16 * MiB, left))
                out.write(block)
                left -= len(block)
        with open(source, "rb") as handle:
            spooled = spool_file(handle)
        source.unlink()
        result = ingest_spooled(spooled, actor=actor, original_name=source.name, source="bench")
        stored.append([result.item.sha256, result.item.size])
    print(json.dumps({"stored": stored}), flush=True)


# ------------------------------------------------------------------ measuring side


def store_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / "store" / "originals" / sha256[:2] / sha256[2:4] / sha256


def hash_files(paths: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds for hashlib.sha256 over every file, read as the store's verify reads."""
    cpu = time.process_time()
    started = time.perf_counter()
    for path in paths:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while block := handle.read(BLOCK):
                digest.update(block)
        digest.hexdigest()
    return time.perf_counter() - started, time.process_time() - cpu


def hash_memory(total: int) -> float:
    """Seconds for hashlib.sha256 over ``total`` bytes already in memory, in 1 MiB updates."""
    buffer = memoryview(os.urandom(64 * MiB))
    started = time.perf_counter()
    digest = hashlib.sha256()
    left = total
    while left > 0:
        for offset in range(0, min(len(buffer), left), BLOCK):
            digest.update(buffer[offset : offset + BLOCK])
        left -= len(buffer)
    digest.hexdigest()
    return time.perf_counter() - started


def run_verify(env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of a ``fullrecord verify`` process (exit 0 required)."""
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(
        [FULLRECORD, "verify"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    after = os.times()
    if result.returncode != 0:
        raise SystemExit(f"fullrecord verify failed ({result.returncode}):\n{result.stderr}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return elapsed, cpu


def migrate(env: dict[str, str]) -> None:
    subprocess.run([FULLRECORD, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True)


def report_appends(result: dict, suffix: str) -> None:
    per_s = result["count"] / result["seconds"]
    say(
        f"# {result['vendor']}: {result['count']} appends in {result['seconds']:.2f} s, "
        f"{result['heads_signed']} tree heads signed on the way; this process's CPU "
        f"{result['cpu_seconds'] / result['count'] * 1e6:.0f} µs per append "
        f"(CPU-bound rate {result['count'] / result['cpu_seconds']:.0f}/s); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    say(f"audit_append_per_s{suffix}: {per_s:.0f}")
    for name in ("p50", "p95", "p99"):
        say(f"audit_append_ms_{name}{suffix}: {result[name] * 1000:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=20_000)
    parser.add_argument("--gib", type=float, default=2, help="originals in all, GiB")
    parser.add_argument("--files", type=int, default=32, help="how many originals")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--profile", action="store_true", help="cProfile the appends (stderr)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, *rest = args.worker
        if kind == "appends":
            worker_appends(int(rest[0]), rest[1] == "profile")
        else:
            worker_originals(int(rest[0]), int(rest[1]), rest[2])
        return

    backends = args.backends.split(",")
    say(
        f"# reproduce: .venv/bin/python bench/bench_audit.py --appends {args.appends} "
        f"--gib {args.gib:g} --files {args.files} --reps {args.reps} --backends {args.backends}"
        "   (make bench runs it too)"
    )
    work = Path(tempfile.mkdtemp(prefix="fullrecord-bench-audit-", dir="/tmp"))
    say(f"# work dir {work}; {os.cpu_count()} CPUs")
    profile = "profile" if args.profile else "-"
    pg_created = False
    try:
        data_dir = work / "data"
        env = environment(data_dir)
        migrate(env)
        if "sqlite" in backends:
            report_appends(run_worker(env, "appends", str(args.appends), profile), "")
        else:  # verify still needs a log to walk
            run_worker(env, "appends", str(args.appends), "-")

        if "postgres" in backends:
            if not pg_reachable():
                say("# PostgreSQL is not reachable: audit_append_per_s_postgres not measured")
            else:
                pg_admin(f'DROP DATABASE IF EXISTS "{PG_DBNAME}" WITH (FORCE)')
                pg_admin(f'CREATE DATABASE "{PG_DBNAME}"')
                pg_created = True
                pg_env = environment(work / "data-pg", pg_url(PG_DBNAME))
                migrate(pg_env)
                result = run_worker(pg_env, "appends", str(args.appends), profile)
                report_appends(result, "_postgres")
                pg_admin(f'DROP DATABASE IF EXISTS "{PG_DBNAME}" WITH (FORCE)')
                pg_created = False

        total = int(args.gib * GiB)
        started = time.monotonic()
        sources = work / "sources"
        sources.mkdir()
        stored = run_worker(env, "originals", str(total), str(args.files), str(sources))["stored"]
        paths = [store_path(data_dir, sha256) for sha256, _ in stored]
        size = sum(s for _, s in stored)
        say(
            f"# {len(paths)} originals, {size / MiB:.0f} MiB, taken in through "
            f"spool_file + ingest_spooled in {time.monotonic() - started:.0f} s"
        )
        hash_files(paths)  # warms the page cache for both
        hashing, verifying, in_memory, hash_cpu, verify_cpu = [], [], [], [], []
        for _ in range(args.reps):
            seconds, cpu = hash_files(paths)
            hashing.append(seconds)
            hash_cpu.append(cpu)
            seconds, cpu = run_verify(env)
            verifying.append(seconds)
            verify_cpu.append(cpu)
            in_memory.append(hash_memory(size))
        hash_rate = size / median(hashing)
        verify_rate = size / median(verifying)
        memory_rate = size / median(in_memory)
        say(
            f"# hashlib over the stored files {hash_rate / MiB:.0f} MiB/s "
            f"({json.dumps([round(s, 3) for s in hashing])} s), in memory "
            f"{memory_rate / MiB:.0f} MiB/s; fullrecord verify {verify_rate / MiB:.0f} MiB/s "
            f"({json.dumps([round(s, 3) for s in verifying])} s, log of "
            f"{WARM_UP + args.appends + len(paths)} entries included)"
        )
        say(
            f"# CPU seconds: hashlib {median(hash_cpu):.2f}, verify {median(verify_cpu):.2f} "
            f"(CPU-bound ratio {median(hash_cpu) / median(verify_cpu):.2f}); "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        say(f"verify_vs_hashlib: {verify_rate / hash_rate:.2f}")
        say(f"verify_vs_hashlib_memory: {verify_rate / memory_rate:.2f}")
    finally:
        if pg_created:
            pg_admin(f'DROP DATABASE IF EXISTS "{PG_DBNAME}" WITH (FORCE)')
        if args.keep:
            say(f"# kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
