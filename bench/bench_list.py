"""p95 of the six-field filtered listing (GET /api/media/) at 1M items over the same at 10k.

Reproduce:  .venv/bin/python bench/bench_list.py        (or: make bench)
Options:    --backends sqlite,postgres  --reps 10  --budget 600  --detail  --fresh

For each backend and size the generator (bench/gen_media.py) fills a database of
its own; they are cached under /tmp/fullrecord-bench/ (FULLRECORD_BENCH_CACHE)
and on PostgreSQL as databases fullrecord_bench_list_postgres_<N>, and rebuilt
only when a migration, media/models.py or the generator changes. Generating
1M rows takes one to four minutes on a 2-core machine.

Each size is measured by a worker process of its own (the same file in
``--worker`` mode) that drives the real API view through Django's test client,
signed in as the city bureau's leader (sees every item) and as the head of
section C1S01 (sees that section's): the access filter, the filterset and the
keyset paginator all run as in production. The query mix is each of the six
fields alone (the party both as a common surname prefix and as one party's
full name) and seven combinations, each as a first page and as a deep page
(a cursor halfway through its time window, or through the three years), for
both users: 56 requests a pass. After a warm-up pass, ``--reps`` timed passes
alternate between the two sizes, so background load falls on both alike
(fewer, at least one, once a backend has used ``--budget`` seconds). The
figure is p95 over all those requests at 1M divided by p95 at 10k.
Goal: at most 2.
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
USERS = ("leader", "head-c1s01")


def queries() -> dict[str, dict[str, str]]:
    """The query mix, with values that exist at every size (the generator is seeded)."""
    from gen_media import party_pool

    from fullrecord.accounts.models import OrgUnit, User
    from fullrecord.cases.models import Cause

    section = OrgUnit.objects.get(code="C1S01").pk
    officer = User.objects.get(username="officer-03-c1s01").pk
    device = "DSJ-C1S01-007"
    cause = Cause.objects.get(code="illegal-occupation").pk
    rare_cause = Cause.objects.get(code="illegal-exploration").pk
    party = party_pool(300)[7]
    month = {"used_from": "2024-03-01T00:00:00+08:00", "used_to": "2024-04-01T00:00:00+08:00"}
    quarter = {"used_from": "2023-10-01T00:00:00+08:00", "used_to": "2024-01-01T00:00:00+08:00"}
    return {
        "org_unit": {"org_unit": section},
        "device": {"device_number": device},
        "officer": {"officer": officer},
        "used_at": month,
        "party_prefix": {"party": "王"},
        "party_name": {"party": party},
        "cause": {"cause": cause},
        "org_unit+cause": {"org_unit": section, "cause": rare_cause},
        "officer+used_at": {"officer": officer, **quarter},
        "device+used_at": {"device_number": device, **quarter},
        "party_prefix+cause": {"party": "王", "cause": cause},
        "org_unit+officer+cause": {"org_unit": section, "officer": officer, "cause": cause},
        "org_unit+used_at+party_prefix": {"org_unit": section, "party": "王", **month},
        "all_six": {
            "org_unit": section,
            "device_number": device,
            "officer": officer,
            "party": "王",
            "cause": cause,
            **quarter,
        },
    }


def worker() -> None:
    """Run inside one dataset's environment: one timed pass over the mix per line on stdin."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import django

    django.setup()
    from fullrecord.security import middleware as signin

    # What is measured is the page, not the sign-in policy: the leader's second factor
    # would send an in-process client signed in with force_login to enrolment.
    signin.ENFORCED = False
    from datetime import UTC, datetime
    from urllib.parse import urlencode

    from django.test import Client
    from gen_media import END, SPAN

    from fullrecord.accounts.models import User
    from fullrecord.media.pagination import encode

    def deep(params: dict) -> str:
        """A cursor halfway through the query's time window (the three years when it has none)."""
        if "used_from" in params:
            first = datetime.fromisoformat(params["used_from"])
            last = datetime.fromisoformat(params["used_to"])
        else:
            first, last = END - SPAN, END
        return encode((first + (last - first) / 2).astimezone(UTC), 2**62)

    mix = queries()
    requests = []
    for username in USERS:
        for name, params in mix.items():
            for page, extra in (("first", {}), ("deep", {"cursor": deep(params)})):
                requests.append(
                    (f"{username} {name}/{page}", username, urlencode({**params, **extra}))
                )
    clients = {}
    for username in USERS:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        clients[username] = client

    def one_pass() -> tuple[dict, dict]:
        times, rows = {}, {}
        for key, username, query in requests:
            started = time.perf_counter()
            response = clients[username].get(f"/api/media/?{query}")
            times[key] = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{key}: HTTP {response.status_code}")
            rows[key] = len(response.json()["results"])
        return times, rows

    _, rows = one_pass()  # warms the caches; not counted
    print(json.dumps({"rows": rows}), flush=True)
    for line in sys.stdin:
        if line.strip() != "pass":
            break
        times, _ = one_pass()
        print(json.dumps({"times": times}), flush=True)


class Worker:
    """A worker process for one dataset, driven one pass at a time."""

    def __init__(self, dataset: Dataset) -> None:
        self.process = subprocess.Popen(
            [PYTHON, __file__, "--worker"],
            env=dataset.env(),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.rows = self._read()["rows"]
        self.samples: dict[str, list[float]] = {}

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench_list worker failed (exit {self.process.wait()})")
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--reps", type=int, default=10, help="timed passes over the mix")
    parser.add_argument(
        "--budget", type=float, default=600, help="seconds per backend after which no pass starts"
    )
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached datasets")
    parser.add_argument("--detail", action="store_true", help="per-query medians")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker()
        return

    print("# reproduce: .venv/bin/python bench/bench_list.py   (make bench runs it too)")
    print(f"# datasets cached under {CACHE}/ between runs (--fresh rebuilds them)")
    for backend in args.backends.split(","):
        if backend == "postgres" and not pg_reachable():
            print("# PostgreSQL is not reachable: list_1m_vs_10k_postgres not measured")
            continue
        datasets = {size: Dataset(backend, size) for size in SIZES}
        for dataset in datasets.values():
            if args.fresh:
                dataset.drop()
            dataset.ensure()
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
        count = sum(len(w.all_samples()) for w in workers.values())
        print(f"# {backend}: {count} timed requests in {time.monotonic() - started:.0f} s")
        if args.detail:
            small, large = workers[SIZES[0]], workers[SIZES[1]]
            print(f"# {'request (median ms)':<48} {'rows':>9} {'10k':>8} {'1m':>8} {'ratio':>6}")
            for key, values in small.samples.items():
                a, b = median(values), median(large.samples[key])
                rows = f"{small.rows[key]}/{large.rows[key]}"
                print(f"# {key:<48} {rows:>9} {a * 1000:8.2f} {b * 1000:8.2f} {b / a:6.2f}")
        for size in SIZES:
            print(f"list_{LABEL[size]}_p95_{backend}_ms: {p95[size] * 1000:.2f}")
        print(f"list_1m_vs_10k_{backend}: {p95[SIZES[1]] / p95[SIZES[0]]:.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
