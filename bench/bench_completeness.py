"""p95 of the case list filtered by "records missing" (记录不全) at 40k cases and 1M media
items over the same at 400 cases and 10k items.

Reproduce:  .venv/bin/python bench/bench_completeness.py        (or: make bench)
Options:    --backends sqlite,postgres  --reps 20  --budget 300  --detail  --fresh

Each backend and size gets a database of its own from the generator
(bench/gen_media.py --count N --cases N/25: a case per 25 items, 2 % of the items
linked to a case of their section at a random stage), cached under
/tmp/fullrecord-bench/completeness-<backend>-<N>/ (PostgreSQL: database
fullrecord_bench_completeness_<backend>_<N>). Preparing it puts the cases at
states spread over the path of 第二条 (seeded, the same at both sizes) and
runs ``fullrecord recompute_completeness`` over all of them, whose rate is
printed (``recompute_cases_per_s_<backend>``): the upgrade's cost.

Each size is measured by a worker process of its own that drives the real views
through Django's test client, signed in as the city bureau's leader (every case)
and as the head of section C1S01 (that section's): the page ``/cases/?completeness=missing``
(access filter, filterset, paginator with its count, the rows and their badges) and
the API ``/api/cases/?completeness=missing``, first page and page 5: 8 requests a pass.
After a warm-up pass, ``--reps`` passes alternate between the sizes. The figure is
p95 over the requests at 40k/1M divided by p95 at 400/10k. Goal: at most 2.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CACHE, PYTHON, ROOT, Dataset, median, percentile, pg_reachable  # noqa: E402

SIZES = (10_000, 1_000_000)
LABEL = {10_000: "10k", 1_000_000: "1m"}
ITEMS_PER_CASE = 25
USERS = ("leader", "head-c1s01")
SEED = 20261205


def prepare() -> None:
    """In the dataset's environment: states along the path, then the stored summary."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import random

    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection, transaction

    from fullrecord.cases.choices import CaseState
    from fullrecord.cases.models import Case

    path = [
        CaseState.DISCOVERED,
        CaseState.STOPPED,
        CaseState.FILED,
        CaseState.INVESTIGATING,
        CaseState.LEGAL_REVIEW,
        CaseState.NOTIFIED,
        CaseState.DECIDED,
        CaseState.SERVED,
        CaseState.ENFORCING,
        CaseState.CLOSED,
        CaseState.ARCHIVED,
    ]
    rng = random.Random(SEED)
    by_state: dict[str, list[int]] = {}
    for pk in Case.objects.order_by("pk").values_list("pk", flat=True):
        by_state.setdefault(rng.choice(path), []).append(pk)
    with transaction.atomic():
        for state, ids in by_state.items():
            for start in range(0, len(ids), 500):
                Case.objects.filter(pk__in=ids[start : start + 500]).update(state=state)
        Case.objects.update(completeness_checked_at=None)
    started = time.monotonic()
    call_command("recompute_completeness", stdout=StringIO(), stderr=StringIO())
    seconds = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Case.objects.count()
    print(
        json.dumps(
            {
                "cases": total,
                "missing": Case.objects.filter(completeness_missing__gt=0).count(),
                "recompute_s": round(seconds, 1),
                "recompute_cases_per_s": round(total / seconds, 1),
            }
        ),
        flush=True,
    )


def requests() -> list[tuple[str, str, str]]:
    found = []
    for username in USERS:
        for kind, url in (("page", "/cases/"), ("api", "/api/cases/")):
            for page in (1, 5):
                query = "completeness=missing"
                if page > 1:
                    query += f"&page={page}" if kind == "page" else f"&offset={25 * (page - 1)}"
                found.append((f"{username} {kind}/p{page}", username, f"{url}?{query}"))
    return found


def worker() -> None:
    """Run inside one dataset's environment: one timed pass per line on stdin."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import django

    django.setup()
    from fullrecord.security import middleware as signin

    # What is measured is the page, not the sign-in policy: the leader's second factor
    # would send an in-process client signed in with force_login to enrolment.
    signin.ENFORCED = False
    from django.test import Client

    from fullrecord.accounts.models import User

    clients = {}
    for username in USERS:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    mix = requests()

    def one_pass() -> dict:
        times = {}
        for key, username, url in mix:
            started = time.perf_counter()
            response = clients[username].get(url)
            times[key] = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{key}: HTTP {response.status_code}")
        return times

    one_pass()  # warms the caches; not counted
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if line.strip() != "pass":
            break
        print(json.dumps({"times": one_pass()}), flush=True)


class Worker:
    def __init__(self, dataset: Dataset) -> None:
        self.process = subprocess.Popen(
            [PYTHON, __file__, "--worker"],
            env=dataset.env(),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._read()
        self.samples: dict[str, list[float]] = {}

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench_completeness worker failed (exit {self.process.wait()})")
        return json.loads(line)

    def one_pass(self) -> None:
        self.process.stdin.write("pass\n")
        self.process.stdin.flush()
        for key, seconds in self._read()["times"].items():
            self.samples.setdefault(key, []).append(seconds)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()

    def all_samples(self) -> list[float]:
        return [s for values in self.samples.values() for s in values]


def ensure(dataset: Dataset) -> dict:
    info = dataset.ensure(extra=["--cases", str(dataset.count // ITEMS_PER_CASE)])
    if "completeness" not in info:
        print(f"# {dataset.name}: putting cases along the path and recomputing their summary ...")
        result = subprocess.run(
            [PYTHON, __file__, "--prepare"],
            env=dataset.env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        info["completeness"] = json.loads(result.stdout.strip().splitlines()[-1])
        dataset.marker.write_text(json.dumps(info, indent=2))
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--reps", type=int, default=20, help="timed passes over the mix")
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds per backend after which no pass starts"
    )
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached datasets")
    parser.add_argument("--detail", action="store_true", help="per-request medians")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return
    if args.prepare:
        prepare()
        return

    print("# reproduce: .venv/bin/python bench/bench_completeness.py   (make bench runs it too)")
    print(f"# datasets cached under {CACHE}/ between runs (--fresh rebuilds them)")
    for backend in args.backends.split(","):
        if backend == "postgres" and not pg_reachable():
            print(
                "# PostgreSQL is not reachable: completeness_list_1m_vs_10k_postgres not measured"
            )
            continue
        datasets = {
            size: Dataset(backend, size, name=f"completeness-{backend}-{size}") for size in SIZES
        }
        for size, dataset in datasets.items():
            if args.fresh:
                dataset.drop()
            info = ensure(dataset)["completeness"]
            print(
                f"# {dataset.name}: {info['cases']:,} cases, {info['missing']:,} with records "
                f"missing; recompute took {info['recompute_s']} s"
            )
            print(f"recompute_cases_per_s_{backend}_{LABEL[size]}: {info['recompute_cases_per_s']}")
        started = time.monotonic()
        workers = {size: Worker(dataset) for size, dataset in datasets.items()}
        passes = 0
        while passes < args.reps:  # alternate the sizes, so background load hits both alike
            for worker_ in workers.values():
                worker_.one_pass()
            passes += 1
            if time.monotonic() - started > args.budget:
                print(f"# {backend}: stopped after {passes} passes (--budget {args.budget:.0f} s)")
                break
        for worker_ in workers.values():
            worker_.close()
        p95 = {size: percentile(w.all_samples(), 0.95) for size, w in workers.items()}
        if args.detail:
            small, large = workers[SIZES[0]], workers[SIZES[1]]
            print(f"# {'request (median ms)':<32} {'10k':>8} {'1m':>8} {'ratio':>6}")
            for key, values in small.samples.items():
                a, b = median(values), median(large.samples[key])
                print(f"# {key:<32} {a * 1000:8.2f} {b * 1000:8.2f} {b / a:6.2f}")
        for size in SIZES:
            print(f"completeness_list_{LABEL[size]}_p95_{backend}_ms: {p95[size] * 1000:.2f}")
        print(f"completeness_list_1m_vs_10k_{backend}: {p95[SIZES[1]] / p95[SIZES[0]]:.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
