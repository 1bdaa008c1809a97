"""Issue 15's fault test: PostgreSQL goes away under a running ``fullrecord serve`` (an
immediate stop, as a crash) and comes back. While it is down, requests fail cleanly — an
answer, not a hang — and /readyz says 503; once it is back the same processes serve
again by themselves; nothing committed before is lost; an upload cut by the outage
resumes from the offset acknowledged before it and completes with the right SHA-256.

A PostgreSQL cluster of its own (Debian's ``initdb``/``pg_ctl``, on a free loopback port,
run as the ``postgres`` user) so that the shared server the suite uses is never touched.
Runs in the PostgreSQL half of the suite; every wait is a bounded poll of a condition."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.db import connections

from fullrecord.core.testing.liveserve import free_port, start_serve
from fullrecord.core.testing.liveworkers import LiveDatabase, _base_env, poll

BIN = Path("/usr/lib/postgresql/15/bin")
KiB = 1024

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql",
    reason="runs in the PostgreSQL half of the suite (it starts a PostgreSQL of its own)",
)


class Cluster:
    def __init__(self, root: Path) -> None:
        self.root, self.port = root, free_port()
        self.data = root / "pgdata"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/fullrecord"

    def _as_postgres(self, *args: str) -> None:
        done = subprocess.run(
            ["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True
        )
        assert done.returncode == 0, f"{args[0]}: {done.stdout}{done.stderr}"

    def create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.root, "postgres")
        self._as_postgres(
            str(BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        subprocess.run(
            [
                str(BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "fullrecord",
            ],
            check=True,
        )

    def start(self) -> None:
        self._as_postgres(
            str(BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.root / "log"),
            "-o",
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1",
            "start",
        )

    def crash(self) -> None:
        self._as_postgres(
            str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"
        )

    def query(self, sql: str, *args):
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, args).fetchall()


def _fullrecord(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "fullrecord", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


TOKEN = (
    "from fullrecord.core.testing.personas import build_bureau;"
    "from fullrecord.accounts.services import issue_api_token;"
    "print(issue_api_token(build_bureau().officer))"
)


@pytest.fixture
def cluster():
    # Not under pytest's tmp_path: the postgres user cannot enter root's 0700 directories.
    if not (BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL's server programs are not in {BIN}")
    root = Path(tempfile.mkdtemp(prefix="fullrecord-pg-"))
    found = Cluster(root)
    try:
        found.create()
        yield found
    finally:
        stop = [str(BIN / "pg_ctl"), "-D", str(found.data), "-m", "immediate", "stop"]
        subprocess.run(["runuser", "-u", "postgres", "--", *stop], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_requests_fail_cleanly_while_postgresql_is_down_and_serve_again_after(cluster, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = dict(_base_env(data_dir), DATABASE_URL=cluster.url)
    _fullrecord(env, "migrate", "-v0")
    shell = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{TOKEN}"],
        env=dict(env, DJANGO_SETTINGS_MODULE="fullrecord.settings"),
        capture_output=True,
        text=True,
        check=True,
    )
    token = shell.stdout.strip().splitlines()[-1]
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    patch = {**auth, "Content-Type": "application/offset+octet-stream"}
    served = start_serve(
        LiveDatabase(data_dir, env), "--workers", "2", "--threads", "4", "--no-scheduler"
    )

    def upload_whole(data: bytes) -> str:
        status, headers, body = served.request(
            "POST", "/api/uploads/", {**patch, "Upload-Length": str(len(data))}, data
        )
        assert status == 201, body
        return headers["X-Media-Sha256"]

    try:
        before = [os.urandom(64 * KiB + n) for n in range(5)]
        stored = [upload_whole(data) for data in before]
        cut = os.urandom(300 * KiB)
        status, headers, _b = served.request(
            "POST", "/api/uploads/", {**patch, "Upload-Length": str(len(cut))}, cut[: 100 * KiB]
        )
        assert status == 201
        location = "/" + headers["Location"].split("/", 3)[3]
        assert headers["Upload-Offset"] == str(100 * KiB)

        cluster.crash()

        for _ in range(6):  # each process and thread meets the outage: answers, never hangs
            status, _h, _b = served.request(
                "GET", "/api/media/", {"Authorization": auth["Authorization"]}
            )
            assert status in (500, 503), status
        status, _h, _b = served.request(
            "PATCH", location, {**patch, "Upload-Offset": str(100 * KiB)}, cut[100 * KiB :]
        )
        assert status in (500, 503), status
        assert served.request("GET", "/readyz")[0] == 503

        cluster.start()

        poll(lambda: served.request("GET", "/readyz")[0] == 200, "readyz to recover")
        poll(
            lambda: (
                served.request("GET", "/api/media/", {"Authorization": auth["Authorization"]})[0]
                == 200
            ),
            "the API to answer again",
        )
        status, headers, _b = served.request("HEAD", location, auth)
        assert status == 200
        offset = int(headers["Upload-Offset"])
        assert offset == 100 * KiB  # the cut PATCH acknowledged nothing
        status, headers, body = served.request(
            "PATCH", location, {**patch, "Upload-Offset": str(offset)}, cut[offset:]
        )
        assert status == 204, body
        assert headers["X-Media-Sha256"] == hashlib.sha256(cut).hexdigest()
        after = upload_whole(os.urandom(10 * KiB))
    finally:
        assert served.stop() == 0

    rows = {sha for (sha,) in cluster.query("select sha256 from media_mediaitem")}
    assert rows == {*stored, hashlib.sha256(cut).hexdigest(), after}
    assert [hashlib.sha256(d).hexdigest() for d in before] == stored
    (ingests,) = cluster.query(
        "select count(*) from audit_auditentry where action = 'media.ingest'"
    )
    assert ingests[0] == len(rows)
    _fullrecord(env, "verify")
