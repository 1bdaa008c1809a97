"""Fill a fullrecord database with N audiovisual records (MediaItem rows), fast.

    FULLRECORD_DATA_DIR=/tmp/x [DATABASE_URL=postgres://...] \\
        .venv/bin/python bench/gen_media.py --count 1000000

Migrates the database first, then creates what the rows refer to (a city bureau,
4 county bureaus, 40 sections, 600 officers of whom each section's first is its
head, a leader, 10 causes, a case per 500 items) and the items themselves:
2,000 body-worn devices (50 a section), party names from a pool that grows
with N (about 25 items a party, 30 % of items without one), 75 % with a cause,
``used_at`` spread over the three years up to 2025-06-30, about 2 % linked to
a case of their section. The same seed gives the same people, devices,
parties and causes at every N, so a query means the same at 10k and at 1M.

Rows go in with COPY (PostgreSQL) or one executemany transaction (SQLite),
with the secondary indexes dropped during the load and rebuilt after it, then
ANALYZE. No store bytes are written: ``sha256`` values are random hex (the
optional ``--original-size`` places one real original in the local store).
1M rows take a few minutes on 2 cores. The database must hold no items yet.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20250630
END = datetime(2025, 6, 30, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)
COUNTIES = 4
SECTIONS_PER_COUNTY = 10
OFFICERS_PER_SECTION = 15
DEVICES_PER_SECTION = 50
BATCH = 20_000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰林峰春梅海燕鹏辉玲"
PLACES = ["清河", "临江", "东山", "西岭", "南湖", "北塘", "青石", "白沙", "金桥", "长乐", "安平"]
TRADES = ["建材", "置业", "矿业", "农业开发", "物流", "砂石", "房地产开发", "养殖", "机械", "贸易"]
COUNTY_NAMES = ["清河县局", "临江县局", "东山县局", "西岭县局"]
EXTRA_CAUSES = [
    ("illegal-approval", "非法批准征收、使用土地", "《土地管理法》第七十九条"),
    ("refuse-return-land", "拒不交还土地", "《土地管理法》第八十一条"),
    ("illegal-exploration", "违法勘查", "《矿产资源法》"),
]


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES[:30] if rng.random() < 0.8 else SURNAMES) + given


def party_pool(size: int) -> list[str]:
    """Parties in a fixed order: the first k are the same whatever ``size`` is."""
    rng = random.Random(SEED + 2)
    pool = []
    for _ in range(size):
        if rng.random() < 0.65:
            pool.append(person_name(rng))
        else:
            word = rng.choice(GIVEN) + rng.choice(GIVEN)
            pool.append(f"{rng.choice(PLACES)}{word}{rng.choice(TRADES)}有限公司")
    return pool


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fullrecord.settings")
    import django

    django.setup()


def ensure_schema() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_people() -> dict:
    """Org tree, officers, heads, the leader and the causes: the same at every N."""
    from django.contrib.auth.hashers import make_password

    from fullrecord.accounts.choices import OrgUnitKind, Role
    from fullrecord.accounts.models import OrgUnit, RoleGrant, User
    from fullrecord.cases.models import Cause

    rng = random.Random(SEED)
    unusable = make_password(None)
    city = OrgUnit.objects.create(name="市局", kind=OrgUnitKind.CITY_BUREAU, code="BENCH")
    sections = []
    for c in range(COUNTIES):
        county = OrgUnit.objects.create(
            name=COUNTY_NAMES[c], kind=OrgUnitKind.COUNTY_BUREAU, code=f"C{c + 1}", parent=city
        )
        for s in range(SECTIONS_PER_COUNTY):
            sections.append(
                OrgUnit.objects.create(
                    name=f"{COUNTY_NAMES[c][:2]}执法{s + 1}科",
                    kind=OrgUnitKind.SECTION,
                    code=f"C{c + 1}S{s + 1:02d}",
                    parent=county,
                )
            )
    users, grants = [], []
    for section in sections:
        for k in range(OFFICERS_PER_SECTION):
            prefix = "head" if k == 0 else f"officer-{k:02d}"
            users.append(
                User(
                    username=f"{prefix}-{section.code.lower()}",
                    full_name=person_name(rng),
                    org_unit=section,
                    certificate_number=f"Z{section.code}{k:03d}",
                    password=unusable,  # the benchmarks sign in without one
                )
            )
    users.append(User(username="leader", full_name="领导", org_unit=city, password=unusable))
    User.objects.bulk_create(users, batch_size=1000)
    by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    officers_by_section: dict[int, list[int]] = {}
    for user in by_name.values():
        if user.username == "leader":
            grants.append(RoleGrant(user=user, role=Role.LEADER))
            continue
        grants.append(RoleGrant(user=user, role=Role.OFFICER))
        if user.username.startswith("head-"):
            grants.append(RoleGrant(user=user, role=Role.SECTION_HEAD))
        officers_by_section.setdefault(user.org_unit_id, []).append(user.pk)
    RoleGrant.objects.bulk_create(grants, batch_size=1000)
    for code, name, basis in EXTRA_CAUSES:
        Cause.objects.get_or_create(code=code, defaults={"name": name, "legal_basis": basis})
    causes = sorted(Cause.objects.values_list("pk", flat=True))
    devices = {
        section.pk: [f"DSJ-{section.code}-{d + 1:03d}" for d in range(DEVICES_PER_SECTION)]
        for section in sections
    }
    return {
        "sections": [section.pk for section in sections],
        "officers": {k: sorted(v) for k, v in officers_by_section.items()},
        "devices": devices,
        "causes": causes,
        "leader": by_name["leader"].pk,
    }


def build_cases(people: dict, count: int) -> dict[int, list[int]]:
    from fullrecord.cases.choices import DiscoverySource
    from fullrecord.cases.models import Case, CaseAssignment

    rng = random.Random(SEED + 3)
    cases, leads = [], []
    for i in range(count):
        section = rng.choice(people["sections"])
        officer = rng.choice(people["officers"][section])
        cases.append(
            Case(
                number=f"BENCH-{i + 1:06d}",
                cause_id=rng.choice(people["causes"]),
                source=rng.choice(DiscoverySource.values),
                org_unit_id=section,
                address=f"{rng.choice(PLACES)}村{rng.randint(1, 30)}组",
                created_by_id=officer,
            )
        )
        leads.append(officer)
    Case.objects.bulk_create(cases, batch_size=1000)
    stored = Case.objects.filter(number__startswith="BENCH-").order_by("number")
    by_section: dict[int, list[int]] = {}
    assignments = []
    for case, officer in zip(stored, leads, strict=True):
        by_section.setdefault(case.org_unit_id, []).append(case.pk)
        assignments.append(CaseAssignment(case=case, officer_id=officer, is_lead=True))
    CaseAssignment.objects.bulk_create(assignments, batch_size=1000)
    return by_section


def media_rows(count: int, people: dict, cases_by_section: dict[int, list[int]], links: list):
    """Yield one dict per item, oldest ``used_at`` first (ids follow time, as ingest does)."""
    from fullrecord.cases.choices import Stage

    rng = random.Random(SEED + 1)
    parties = party_pool(max(300, count // 25))
    officers = [(s, o) for s in people["sections"] for o in people["officers"][s]]
    activity = [rng.lognormvariate(0, 0.6) for _ in officers]
    cause_weights = list(itertools.accumulate(1 / (i + 1) for i in range(len(people["causes"]))))
    habits = {o: rng.sample(people["devices"][s], 3) for s, o in officers}
    start = (END - SPAN).timestamp()
    stamps = sorted(rng.uniform(0, SPAN.total_seconds()) for _ in range(count))
    picks = rng.choices(officers, weights=activity, k=count)
    stages = Stage.values
    for index, (offset, (section, officer)) in enumerate(zip(stamps, picks, strict=True)):
        used_at = datetime.fromtimestamp(start + offset, UTC)
        if rng.random() < 0.9:
            device = rng.choice(habits[officer])
        else:
            device = rng.choice(people["devices"][section])
        roll = rng.random()
        if roll < 0.8:
            kind, content_type, ext = "video", "video/mp4", "MP4"
            duration, size = rng.uniform(30, 1800), rng.randint(20_000_000, 2_000_000_000)
            width, height, vcodec, acodec = 1920, 1080, "h264", "aac"
        elif roll < 0.95:
            kind, content_type, ext = "photo", "image/jpeg", "JPG"
            duration, size = None, rng.randint(1_000_000, 8_000_000)
            width, height, vcodec, acodec = 4000, 3000, "", ""
        else:
            kind, content_type, ext = "audio", "audio/mp4", "M4A"
            duration, size = rng.uniform(30, 3600), rng.randint(500_000, 60_000_000)
            width, height, vcodec, acodec = None, None, "", "aac"
        party = "" if rng.random() < 0.3 else rng.choice(parties)
        cause = (
            rng.choices(people["causes"], cum_weights=cause_weights)[0]
            if rng.random() < 0.75
            else None
        )
        linked = bool(cases_by_section.get(section)) and rng.random() < 0.02
        if linked:
            links.append(
                (index, rng.choice(cases_by_section[section]), rng.choice(stages), officer)
            )
        received = used_at + timedelta(seconds=rng.uniform(600, 3 * 86400))
        yield {
            "sha256": f"{rng.getrandbits(256):064x}",
            "size": size,
            "original_name": f"{device}_{used_at:%Y%m%d_%H%M%S}.{ext}",
            "received_at": received,
            "uploaded_by": officer,
            "kind": kind,
            "status": "ready" if rng.random() < 0.97 else "proxy",
            "problem": "",
            "content_type": content_type,
            "duration": duration,
            "device_recorded_at": used_at + timedelta(seconds=rng.uniform(-5, 5)),
            "width": width,
            "height": height,
            "video_codec": vcodec,
            "audio_codec": acodec,
            "latitude": round(rng.uniform(30.1, 30.9), 6) if rng.random() < 0.7 else None,
            "longitude": round(rng.uniform(119.8, 120.9), 6) if rng.random() < 0.7 else None,
            "metadata": "{}",
            "org_unit": section,
            "device_number": device,
            "officer": officer,
            "used_at": used_at,
            "party_name": party,
            "cause": cause,
            "session": None,
            "gap_before": None,
            "interrupted": False,
            "task_reference": "",
            "unlinked": not linked,
            "keep_until": None,
            "on_hold": False,
            "fixity": "unchecked",
            "fixity_checked_at": None,
            "fixity_failed_at": None,
            "derived_requested_at": None,
        }


def _sqlite_value(value):
    if isinstance(value, datetime):
        # What Django's SQLite backend stores for an aware datetime: naive UTC, str().
        return str(value.astimezone(UTC).replace(tzinfo=None))
    return value


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes that back no constraint."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return list(cursor.fetchall())


def bulk_load(model, rows, count: int, log) -> None:
    """Insert ``rows`` (dicts by field name) into ``model``'s table, indexes rebuilt after."""
    from django.db import connection, transaction

    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    names = [f.name for f in fields]
    indexes = secondary_indexes(table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # no per-row FK checks
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for n, row in enumerate(rows, 1):
                    copy.write_row([row[k] for k in names])
                    if n % 200_000 == 0:
                        log(f"#   {n:,}/{count:,} rows, {time.monotonic() - started:.0f} s")
        else:
            cursor.execute("PRAGMA cache_size = -400000")
            marks = ", ".join("%s" for _ in columns)
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})"  # noqa: S608 - names from the model
            batch = []
            for n, row in enumerate(rows, 1):
                batch.append([_sqlite_value(row[k]) for k in names])
                if len(batch) == BATCH:
                    cursor.executemany(sql, batch)
                    batch.clear()
                if n % 200_000 == 0:
                    log(f"#   {n:,}/{count:,} rows, {time.monotonic() - started:.0f} s")
            if batch:
                cursor.executemany(sql, batch)
        log(
            f"#   rows in after {time.monotonic() - started:.0f} s; rebuilding {len(indexes)} indexes"
        )
        for _, statement in indexes:
            cursor.execute(statement)
    log(f"#   {table}: {time.monotonic() - started:.0f} s")


def place_original(size: int) -> dict:
    """One original of ``size`` bytes in the local store layout, with its MediaItem row.

    The file is sparse except for its last 16 MiB, which are random: the range benchmark
    reads real bytes at the end. Its SHA-256 is the true one.
    """
    from django.conf import settings

    from fullrecord.accounts.models import User
    from fullrecord.media.models import MediaItem

    tail = min(size, 16 * 1024 * 1024)
    rng = random.Random(SEED + 4)
    data = rng.randbytes(tail)
    root = Path(settings.FULLRECORD_STORAGE["root"])
    temp = root / "incoming-bench"
    temp.parent.mkdir(parents=True, exist_ok=True)
    with open(temp, "wb") as handle:
        handle.truncate(size - tail)
        handle.seek(size - tail)
        handle.write(data)
    digest = hashlib.sha256()
    with open(temp, "rb") as handle:
        while block := handle.read(8 * 1024 * 1024):
            digest.update(block)
    sha256 = digest.hexdigest()
    final = root / sha256[:2] / sha256[2:4] / sha256
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp, final)
    os.chmod(final, 0o444)
    head = User.objects.get(username="head-c1s01")
    item = MediaItem.objects.create(
        sha256=sha256,
        size=size,
        original_name="DSJ-C1S01-001_big.MP4",
        uploaded_by=head,
        kind="video",
        status="ready",
        content_type="video/mp4",
        org_unit=head.org_unit,
        officer=head,
        device_number="DSJ-C1S01-001",
        used_at=END,
    )
    return {"id": item.pk, "sha256": sha256, "size": size, "path": str(final)}


def generate(count: int, log, original_size: int | None = None, cases: int | None = None) -> dict:
    from django.db import connection

    from fullrecord.media.models import CaseMediaLink, MediaItem

    started = time.monotonic()
    ensure_schema()
    if MediaItem.objects.exists():
        sys.exit("gen_media: the database already holds audiovisual records; use a fresh one")
    people = build_people()
    cases_by_section = build_cases(people, cases if cases is not None else max(20, count // 500))
    log(f"# people and cases ready after {time.monotonic() - started:.0f} s")
    links: list = []
    bulk_load(MediaItem, media_rows(count, people, cases_by_section, links), count, log)
    ids = list(MediaItem.objects.order_by("pk").values_list("pk", flat=True)) if count else []
    now = END + timedelta(days=1)
    link_rows = (
        {
            "case": case,
            "item": ids[index],
            "stage": stage,
            "note": "",
            "linked_by": officer,
            "linked_at": now,
        }
        for index, case, stage, officer in links
    )
    bulk_load(CaseMediaLink, link_rows, len(links), log)
    original = place_original(original_size) if original_size else None
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "count": count,
        "seconds": round(time.monotonic() - started, 1),
        "vendor": connection.vendor,
        "sections": len(people["sections"]),
        "officers": sum(len(v) for v in people["officers"].values()),
        "devices": sum(len(v) for v in people["devices"].values()),
        "causes": len(people["causes"]),
        "parties": max(300, count // 25),
        "cases": sum(len(v) for v in cases_by_section.values()),
        "links": len(links),
        "original": original,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="how many items")
    parser.add_argument(
        "--original-size", type=int, help="also place one original of this many bytes"
    )
    parser.add_argument(
        "--cases", type=int, help="how many cases (default: one per 500 items, at least 20)"
    )
    parser.add_argument("--json", action="store_true", help="end with a one-line JSON summary")
    args = parser.parse_args()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    setup_django()
    summary = generate(args.count, log, args.original_size, args.cases)
    log(f"# {args.count:,} items in {summary['seconds']:.0f} s ({summary['vendor']})")
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
