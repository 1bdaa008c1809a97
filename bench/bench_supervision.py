"""The supervision dashboard at 1M media items and 40k cases over the same at 10k and 400.

Reproduce:  .venv/bin/python bench/bench_supervision.py        (or: make bench)
Options:    --backends sqlite,postgres  --reps 20  --fresh

For each backend and size the generator (bench/gen_media.py) fills a database of its
own — the people, sections, devices and footage of bench_list.py — and this script
adds cases up to 400 (10k) or 40,000 (1M), two officers each, and 0–6 moves along the
case path at increasing times (so stages are reached month by month), plus one
inspection plan with a drawn sample, a few submitted reviews and rectification orders.
The datasets are cached under /tmp/fullrecord-bench/supervision-<backend>-<N>/ and
rebuilt when a migration, media/models.py, gen_media.py or this file changes.

A worker process per size (this file in ``--worker`` mode) counts the figures once
(``figures.refresh()``, what the 15-minute job does; timed and printed, not part of the
ratio), then requests ``GET /supervision/dashboard/`` for the three years of data per
section — two grouped sums over the figure rows, the charts' data and the page — as the
city bureau's leader (who sees all 40 sections), ``--reps`` times, alternating sizes.
The figure is the median at 1M over the median at 10k. Goal: at most 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PYTHON, ROOT, Dataset, median, pg_reachable, schema_fingerprint  # noqa: E402

SIZES = ((10_000, 400), (1_000_000, 40_000))
LABEL = {10_000: "10k", 1_000_000: "1m"}
PATH = ["stopped", "filed", "investigating", "legal_review", "notified", "decided", "served"]
QUERY = "start=2022-07-01&end=2025-06-30&group=section"


def fingerprint() -> str:
    digest = hashlib.sha256(schema_fingerprint().encode())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def populate(cases_wanted: int) -> dict:
    """Add cases, moves, a plan, reviews and orders to a generated dataset (worker side)."""
    from datetime import date

    from django.db import transaction
    from django.utils import timezone
    from gen_media import END, SEED, SPAN

    from fullrecord.accounts.models import OrgUnit, User
    from fullrecord.cases.models import Case, CaseAssignment, CaseTransition, Cause
    from fullrecord.supervision import services

    rng = random.Random(SEED + 13)
    started = time.monotonic()
    sections = list(OrgUnit.objects.filter(kind="section").values_list("pk", flat=True))
    officers: dict[int, list[int]] = {}
    for pk, unit in User.objects.filter(username__startswith="officer-").values_list(
        "pk", "org_unit_id"
    ):
        officers.setdefault(unit, []).append(pk)
    causes = list(Cause.objects.values_list("pk", flat=True))
    leader = User.objects.get(username="leader")
    have = Case.objects.count()
    begin = END - SPAN
    with transaction.atomic():
        rows, plans = [], []
        for i in range(max(cases_wanted - have, 0)):
            section = rng.choice(sections)
            opened = begin + timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
            rows.append(
                Case(
                    number=f"SVB-{i + 1:06d}",
                    cause_id=rng.choice(causes),
                    source="patrol",
                    org_unit_id=section,
                    address="基准测试村",
                    created_by_id=leader.pk,
                    created_at=opened,
                    discovered_on=opened.date(),
                )
            )
            plans.append((section, opened, rng.randint(0, 6)))
        Case.objects.bulk_create(rows, batch_size=2000)
        stored = Case.objects.filter(number__startswith="SVB-").order_by("number")
        assignments, moves = [], []
        for case, (section, opened, steps) in zip(stored, plans, strict=True):
            for officer in rng.sample(officers[section], 2):
                assignments.append(CaseAssignment(case=case, officer_id=officer))
            at, state = opened, "discovered"
            for to_state in PATH[:steps]:
                at += timedelta(days=rng.randint(3, 40))
                moves.append(
                    CaseTransition(
                        case=case,
                        name="bench",
                        from_state=state,
                        to_state=to_state,
                        actor=leader,
                        at=at,
                    )
                )
                state = to_state
            case.state = state
        Case.objects.bulk_update(list(stored), ["state"], batch_size=2000)
        CaseAssignment.objects.bulk_create(assignments, batch_size=2000)
        CaseTransition.objects.bulk_create(moves, batch_size=2000)
    inspector = User.objects.create(
        username="bench-inspector", full_name="检查组", org_unit=OrgUnit.objects.get(code="BENCH")
    )
    inspector.role_grants.create(role="inspector")
    plan = services.create_plan(
        actor=inspector,
        title="基准测试抽查",
        period_start=date(2022, 7, 1),
        period_end=date(2025, 6, 30),
        cases_per_stratum=2,
        footage_per_stratum=2,
    )
    plan = services.start_plan(plan, actor=inspector)  # 开始 fixes the seed before a draw
    draw = services.draw_sample(plan, actor=inspector)
    for entry in draw.entries.filter(kind="case")[:20]:
        review = services.open_review(entry, actor=inspector)
        services.score_review(
            review,
            actor=inspector,
            scores=[{"item": i.pk, "points": i.max_score} for i in services.rubric("case")],
            submit=True,
        )
        officer = CaseAssignment.objects.filter(case_id=entry.case_id).first().officer
        services.issue_rectification(
            actor=inspector,
            finding="基准测试：缺少阶段记录",
            deadline=timezone.localdate() + timedelta(days=5),
            assignee=officer,
            review=review,
        )
    return {"cases": Case.objects.count(), "seconds": time.monotonic() - started}


def worker(cases_wanted: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import django

    django.setup()
    from fullrecord.security import middleware as signin

    # What is measured is the page, not the sign-in policy: the leader's second factor
    # would send an in-process client signed in with force_login to enrolment.
    signin.ENFORCED = False
    from django.test import Client

    from fullrecord.accounts.models import User
    from fullrecord.supervision import figures

    marker = Path(os.environ["FULLRECORD_DATA_DIR"]) / "supervision.json"
    try:
        info = json.loads(marker.read_text())
    except (OSError, ValueError):
        info = {}
    if info.get("fingerprint") != fingerprint():
        info = {**populate(cases_wanted), "fingerprint": fingerprint()}
        marker.write_text(json.dumps(info))
    started = time.perf_counter()
    rows = figures.refresh()
    refresh = time.perf_counter() - started
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="leader"))

    def one() -> float:
        began = time.perf_counter()
        response = client.get(f"/supervision/dashboard/?{QUERY}")
        took = time.perf_counter() - began
        if response.status_code != 200 or "figure-row" not in response.content.decode():
            raise SystemExit(f"dashboard: HTTP {response.status_code}")
        return took

    one()  # warm-up
    print(json.dumps({"refresh": refresh, "figure_rows": rows, "cases": info["cases"]}), flush=True)
    for line in sys.stdin:
        if line.strip() != "pass":
            break
        print(json.dumps({"time": one()}), flush=True)


class Worker:
    def __init__(self, dataset: Dataset, cases: int) -> None:
        self.process = subprocess.Popen(
            [PYTHON, __file__, "--worker", str(cases)],
            env=dataset.env(),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.info = self._read()
        self.samples: list[float] = []

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench_supervision worker failed (exit {self.process.wait()})")
        return json.loads(line)

    def one_pass(self) -> None:
        self.process.stdin.write("pass\n")
        self.process.stdin.flush()
        self.samples.append(self._read()["time"])

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached datasets")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker)
        return

    print("# reproduce: .venv/bin/python bench/bench_supervision.py   (make bench runs it too)")
    for backend in args.backends.split(","):
        if backend == "postgres" and not pg_reachable():
            print("# PostgreSQL is not reachable: dashboard_1m_vs_10k_postgres not measured")
            continue
        datasets = {
            items: Dataset(backend, items, name=f"supervision-{backend}-{items}")
            for items, _cases in SIZES
        }
        for dataset in datasets.values():
            if args.fresh:
                dataset.drop()
            dataset.ensure()
        workers = {items: Worker(datasets[items], cases) for items, cases in SIZES}
        for items, w in workers.items():
            print(
                f"# {backend} {LABEL[items]}: {w.info['cases']:,} cases, "
                f"{w.info['figure_rows']:,} figure rows counted in {w.info['refresh']:.1f} s"
            )
        for _ in range(args.reps):  # alternate the sizes, so background load hits both alike
            for w in workers.values():
                w.one_pass()
        for w in workers.values():
            w.close()
        small, large = (median(workers[items].samples) for items, _cases in SIZES)
        for items, w in workers.items():
            print(f"supervision_refresh_{LABEL[items]}_{backend}_s: {w.info['refresh']:.2f}")
        print(f"dashboard_10k_{backend}_ms: {small * 1000:.2f}")
        print(f"dashboard_1m_{backend}_ms: {large * 1000:.2f}")
        print(f"dashboard_1m_vs_10k_{backend}: {large / small:.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
