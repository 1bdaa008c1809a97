"""tus uploads recover from a web server killed at every point of the finish, 100 times.

Reproduce:  .venv/bin/python bench/bench_recovery.py        (or: make bench)
Options:    --rounds 100  --postgres  --keep

Each round uploads 300 kB of fresh random bytes to a real ``runserver`` process started
with ``FULLRECORD_CRASH_AT`` naming one point of the finish (``spool-complete``,
``received``, ``linked``, ``committed``, ``spool-removed``, in turn; see
``media/crashpoints.py``); the server kills itself with SIGKILL there. Every other
round the client comes back (HEAD, and the rest of the bytes where nothing was
recorded yet) on a second server of the same site; in the others it never does and
the recovery sweep (``media.recovery.adopt_orphans``) alone must finish the upload.
A round fails unless the upload then answers finished with the right hash, exactly one
item and one ``media.ingest`` entry exist, the store holds the bytes, no spool file is
left and nothing is left unclaimed (``media/tests/crashsite.py``, shared with the
tests).

Figures:

* ``recovery_failures``: rounds that did not fully recover. Goal: 0.
* ``unfinished_after_crash`` (the baseline, measured in the same run): rounds whose
  upload the crash left unfinished, read before anything resumed — what there was to
  recover. The three points before the commit leave it unfinished; the two after, not.
* ``durable_finish_ms`` against ``normal_finish_ms``: one finish of a small upload
  (``services.ingest_spooled`` of 64 KiB, in process) with the acknowledging commit at
  SQLite ``synchronous=FULL`` as shipped, against the same at ``NORMAL``, medians of
  200 each, alternated; and ``full_for_every_commit_ratio``: audit appends per second at
  NORMAL divided by the same at FULL, what setting FULL for the whole site would cost.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_SERVER = os.environ.get("FULLRECORD_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def say(line: str) -> None:
    print(line, flush=True)


def _postgres_database(name: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # noqa: BLE001 - reported as a comment, the run goes on
        say(f"# PostgreSQL unreachable ({exc}); SQLite only")
        return None
    return f"{PG_SERVER}/{name}"


def _unfinished(upload_id: str) -> bool:
    from fullrecord.media.models import Upload

    return Upload.objects.get(pk=upload_id).state != "complete"


def recovery(site, rounds: int) -> tuple[int, int]:
    from fullrecord.media.crashpoints import POINTS
    from fullrecord.media.tests.crashsite import after_sweep, crash_and_resume

    failures = unfinished = 0
    with site.serve() as resume:
        for number in range(rounds):
            point = POINTS[number % len(POINTS)]
            seen: list[bool] = []
            wrong = crash_and_resume(
                site,
                point,
                resume,
                client_returns=number % 2 == 0,
                inspect=after_sweep,  # in this process, set up for the site
                observe=lambda upload_id, seen=seen: seen.append(_unfinished(upload_id)),
            )
            unfinished += bool(seen and seen[0])
            if wrong:
                failures += 1
                say(f"# round {number + 1} ({point}): {'; '.join(wrong)}")
    return failures, unfinished


def finish_cost(samples: int = 200) -> tuple[float, float, float]:
    from django.db import connection, transaction

    from fullrecord.accounts.models import User
    from fullrecord.audit.services import record
    from fullrecord.media import services
    from fullrecord.media.spool import spool_chunks

    if connection.vendor != "sqlite":
        return 0.0, 0.0, 0.0
    officer = User.objects.get(username="officer")
    durable = services.durable_commit
    times: dict[str, list[float]] = {"full": [], "normal": []}
    for number in range(2 * samples):
        mode = "full" if number % 2 == 0 else "normal"
        services.durable_commit = durable if mode == "full" else contextlib.nullcontext
        spooled = spool_chunks([os.urandom(64 * 1024)])
        start = time.perf_counter()
        services.ingest_spooled(spooled, actor=officer, original_name="x.bin", source="bench")
        times[mode].append((time.perf_counter() - start) * 1000)
    services.durable_commit = durable

    def appends_per_s(mode: str, count: int = 300) -> float:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={mode}")
        start = time.perf_counter()
        for _ in range(count):
            with transaction.atomic():
                record("bench.append", actor=officer, summary="bench")
        return count / (time.perf_counter() - start)

    normal = statistics.median(appends_per_s("NORMAL") for _ in range(3))
    full = statistics.median(appends_per_s("FULL") for _ in range(3))
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=NORMAL")
    return statistics.median(times["full"]), statistics.median(times["normal"]), normal / full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--postgres", action="store_true", help="run on PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="fullrecord-bench-recovery-"))
    database_url = None
    if args.postgres:
        database_url = _postgres_database(f"fullrecord_bench_recovery_{os.getpid()}")
    os.environ.update(
        FULLRECORD_DATA_DIR=str(work / "data"),
        DJANGO_SETTINGS_MODULE="fullrecord.settings",
        FULLRECORD_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        FULLRECORD_LOG_LEVEL="CRITICAL",
    )
    os.environ.pop("FULLRECORD_CRASH_AT", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    from fullrecord.media.tests.crashsite import CrashSite

    site = CrashSite(work, database_url)
    site.setup()
    import django

    django.setup()
    try:
        say("# " + " ".join(["bench/bench_recovery.py", *sys.argv[1:]]))
        say(f"# database: {'PostgreSQL' if database_url else 'SQLite'}; work dir {work}")
        started = time.monotonic()
        failures, unfinished = recovery(site, args.rounds)
        say(f"# {args.rounds} rounds in {time.monotonic() - started:.0f} s")
        say(f"recovery_failures: {failures}")
        say(f"unfinished_after_crash: {unfinished}")
        full, normal, ratio = finish_cost()
        if full:
            say(f"durable_finish_ms: {full:.2f}")
            say(f"normal_finish_ms: {normal:.2f}")
            say(f"full_for_every_commit_ratio: {ratio:.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        site.drop_database()


if __name__ == "__main__":
    main()
