"""What the benchmarks share: where cached data lives, environments, databases, statistics.

Not a benchmark itself (``make bench`` runs ``bench/bench_*.py`` only).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
FULLRECORD = str(Path(PYTHON).with_name("fullrecord"))
# Generated databases, data dirs and the 4 GiB original are kept here between runs.
DEFAULT_CACHE = Path("/tmp/fullrecord-bench")
CACHE = Path(os.environ.get("FULLRECORD_BENCH_CACHE", DEFAULT_CACHE))
PG_SERVER = os.environ.get("FULLRECORD_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def schema_fingerprint() -> str:
    """Changes when the schema or the generator does: a cached database is then rebuilt."""
    import fullrecord  # the package the benchmark runs (PYTHONPATH may point at another tree)

    package = Path(fullrecord.__file__).resolve().parent
    digest = hashlib.sha256()
    sources = sorted(package.glob("*/migrations/*.py")) + [package / "media" / "models.py"]
    for path in [*sources, BENCH / "gen_media.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pg_url(dbname: str) -> str:
    parts = urlsplit(PG_SERVER)
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", "", ""))


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True) as connection:
        connection.execute(sql)


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(pg_url("postgres"), connect_timeout=3):
            return True
    except Exception:
        return False


def pg_database_exists(dbname: str) -> bool:
    import psycopg

    with psycopg.connect(pg_url("postgres"), autocommit=True) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]
        ).fetchone()
    return row is not None


class Dataset:
    """One generated database: a data dir, and on PostgreSQL a database of its own."""

    def __init__(self, backend: str, count: int, name: str | None = None) -> None:
        self.backend = backend
        self.count = count
        self.name = name or f"list-{backend}-{count}"
        self.data_dir = CACHE / self.name
        self.dbname = f"fullrecord_bench_{self.name.replace('-', '_')}"
        if CACHE != DEFAULT_CACHE:  # a second cache gets databases of its own
            self.dbname += "_" + hashlib.sha256(str(CACHE).encode()).hexdigest()[:6]
        self.marker = self.data_dir / "dataset.json"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["FULLRECORD_DATA_DIR"] = str(self.data_dir)
        env["DJANGO_SETTINGS_MODULE"] = "fullrecord.settings"
        env["FULLRECORD_LOG_LEVEL"] = "WARNING"
        env.pop("FULLRECORD_DEBUG", None)
        if self.backend == "postgres":
            env["DATABASE_URL"] = pg_url(self.dbname)
        else:
            env.pop("DATABASE_URL", None)
        return env

    def cached(self) -> dict | None:
        try:
            info = json.loads(self.marker.read_text())
        except (OSError, ValueError):
            return None
        if info.get("fingerprint") != schema_fingerprint() or info.get("count") != self.count:
            return None
        if self.backend == "postgres" and not pg_database_exists(self.dbname):
            return None
        if self.backend == "sqlite" and not (self.data_dir / "fullrecord.sqlite3").exists():
            return None
        return info

    def reset(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        self.data_dir.mkdir(parents=True)
        if self.backend == "postgres":
            pg_admin(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{self.dbname}"')

    def drop(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.backend == "postgres":
            pg_admin(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def ensure(self, extra: list[str] | None = None, log=print) -> dict:
        """The cached dataset, generated (minutes for 1M rows) when missing or stale."""
        info = self.cached()
        if info is not None:
            log(f"# {self.name}: cached in {self.data_dir} (generated in {info['seconds']:.0f} s)")
            return info
        log(f"# {self.name}: generating {self.count:,} items into {self.data_dir} ...")
        self.reset()
        command = [PYTHON, str(BENCH / "gen_media.py"), "--count", str(self.count), "--json"]
        result = subprocess.run(
            [*command, *(extra or [])],
            env=self.env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        info = json.loads(result.stdout.strip().splitlines()[-1])
        info["fingerprint"] = schema_fingerprint()
        self.marker.write_text(json.dumps(info, indent=2))
        log(f"# {self.name}: generated in {info['seconds']:.0f} s")
        return info


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p95 of 200 samples is the 190th smallest)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"
