"""A site of its own served by real ``runserver`` processes, for killing them mid-finish.

The test database lives inside the test process (SQLite in memory) or in a transaction
other processes cannot see, so a crash test gets a data directory and database of its
own: SQLite in that directory, or a PostgreSQL database named after the test one when
the tests run on PostgreSQL. A server started with ``crash_at`` kills itself with SIGKILL
at that point of an upload's finish (``media/crashpoints.py``); what it left behind is
then read by a fresh process, as an operator would after a restart.

Used by ``test_a_finish_killed_at_any_point_is_resumed`` and ``bench/bench_recovery.py``.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import fullrecord

SRC = Path(fullrecord.__file__).resolve().parent.parent
START_TIMEOUT = 120  # seconds for a server to start on a loaded machine; polled, not slept


class Killed(Exception):
    """The server went away in the middle of a request, as it was told to."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CrashSite:
    def __init__(self, root: Path, database_url: str | None = None) -> None:
        self.root = root
        self.data_dir = root / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "FULLRECORD_DATA_DIR": str(self.data_dir),
            "FULLRECORD_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_SETTINGS_MODULE": "fullrecord.settings",
        }
        self.env.pop("FULLRECORD_CRASH_AT", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.database_url = database_url
        self.token = ""
        self.servers = 0

    def drop_database(self) -> None:
        if not self.database_url:
            return
        import psycopg

        server, name = self.database_url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # --- processes

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "fullrecord", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise AssertionError(f"fullrecord {' '.join(args)}: {done.stderr[-3000:]}")
        return done.stdout

    def python(self, code: str) -> dict:
        """Run ``code`` (after django.setup()) in a fresh process; it sets ``result``."""
        script = (
            "import django, json\ndjango.setup()\nresult = None\n"
            + code
            + "\nprint('RESULT:' + json.dumps(result, default=str))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise AssertionError(done.stderr[-3000:])
        line = [x for x in done.stdout.splitlines() if x.startswith("RESULT:")][-1]
        return json.loads(line[len("RESULT:") :])

    def setup(self) -> None:
        """Migrate the site's database and give its officer an API token."""
        self.run("migrate", "--no-input", "-v0")
        self.token = self.python(
            "from fullrecord.accounts.services import issue_api_token\n"
            "from fullrecord.accounts.models import User\n"
            "from fullrecord.core.testing.personas import build_bureau\n"
            "officer = User.objects.filter(username='officer').first()\n"
            "officer = officer or build_bureau().officer\n"
            "result = issue_api_token(officer)\n"
        )

    @contextmanager
    def serve(self, crash_at: str = "", server: str = "runserver"):
        port = _free_port()
        env = {**self.env, "FULLRECORD_CRASH_AT": crash_at}
        if server == "gunicorn":
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "fullrecord.wsgi:application",
            ]
        else:
            command = [
                sys.executable,
                "-m",
                "fullrecord",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"127.0.0.1:{port}",
            ]
        self.servers += 1
        log = self.root / f"server-{self.servers}.log"  # read when a start fails
        with open(log, "wb") as output:
            process = subprocess.Popen(command, env=env, stdout=output, stderr=output)
        client = Client(f"http://127.0.0.1:{port}", self.token, process, log)
        try:
            client.wait_started()
            yield client
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=START_TIMEOUT)

    # --- what a crash left behind, read by a fresh process after the sweep

    def after_sweep(self, sha256: str, upload_id: str) -> dict:
        return self.python(
            "from fullrecord.media.tests.crashsite import after_sweep\n"
            f"result = after_sweep({sha256!r}, {upload_id!r})\n"
        )

    def ingest(self, folder: Path, crash_at: str = "") -> tuple[int, str]:
        """Run ``fullrecord ingest`` on ``folder`` as the officer; its exit status, output."""
        done = subprocess.run(
            [sys.executable, "-m", "fullrecord", "ingest", str(folder), "--as", "officer"],
            env={**self.env, "FULLRECORD_CRASH_AT": crash_at},
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, done.stdout + done.stderr

    def sweep(self) -> dict:
        return self.python("from fullrecord.media.tests.crashsite import sweep\nresult = sweep()\n")


def sweep() -> dict:
    """The recovery sweep, run in this process (configured for the site)."""
    from fullrecord.media.recovery import adopt_orphans

    report = adopt_orphans()
    return {"finished": [str(u) for u in report.finished], "unclaimed": report.unclaimed}


def after_sweep(sha256: str, upload_id: str) -> dict:
    """Run the sweep, then what holds of one upload, in this process (set up for the site)."""
    from fullrecord.audit.models import AuditEntry
    from fullrecord.media.models import MediaItem, Upload
    from fullrecord.media.store import StoreError, get_store
    from fullrecord.media.tus import spool_path

    swept = sweep()
    items = list(MediaItem.objects.filter(sha256=sha256))
    upload = Upload.objects.get(pk=upload_id)
    digest = hashlib.sha256()
    try:
        with get_store().open(sha256) as original:
            while block := original.read(1024 * 1024):
                digest.update(block)
    except StoreError:
        digest.update(b"missing")  # reported below as not stored
    return {
        "items": len(items),
        "entries": AuditEntry.objects.filter(
            action="media.ingest", object_id=str(items[0].pk) if items else "-"
        ).count(),
        "upload": upload.state,
        "upload_item": upload.item_id == (items[0].pk if items else None),
        "stored": digest.hexdigest() == sha256,
        "spool_left": spool_path(upload.pk).exists(),
        "unclaimed": swept["unclaimed"],
    }


class Client:
    """tus over a real socket, one connection a request."""

    def __init__(self, base: str, token: str, process: subprocess.Popen, log: Path) -> None:
        self.base = base
        self.token = token
        self.process = process
        self.log = log

    def wait_started(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        parts = urlsplit(self.base)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the server exited with {self.process.returncode}: "
                    + self.log.read_text(errors="replace")[-3000:]
                )
            try:
                socket.create_connection((parts.hostname, parts.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)  # polling a starting process, bounded above
        raise AssertionError("the server did not start")

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict | None = None
    ) -> http.client.HTTPResponse:
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        all_headers = {
            "Authorization": f"Token {self.token}",
            "Tus-Resumable": "1.0.0",
            **(headers or {}),
        }
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError) as exc:
            raise Killed(str(exc)) from exc
        finally:
            conn.close()
        return response

    def create(self, length: int) -> str:
        response = self.request("POST", "/api/uploads/", headers={"Upload-Length": str(length)})
        assert response.status == 201, response.status
        return urlsplit(response.getheader("Location")).path

    def patch(self, location: str, data: bytes, offset: int) -> http.client.HTTPResponse:
        return self.request(
            "PATCH",
            location,
            data,
            {"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)},
        )

    def head(self, location: str) -> http.client.HTTPResponse:
        return self.request("HEAD", location)

    def killed(self) -> bool:
        """Whether the server died of SIGKILL (waits for it to go)."""
        return self.process.wait(timeout=START_TIMEOUT) == -signal.SIGKILL


def crash_and_resume(
    site: CrashSite,
    point: str,
    resume: Client,
    *,
    client_returns: bool = True,
    inspect=None,
    observe=None,
) -> list[str]:
    """Kill a server at ``point`` of an upload's finish, resume on ``resume`` (another
    server of the same site), and list what is wrong.

    An empty list is a full recovery: the upload answers finished with the right hash,
    exactly one item and one ingest entry exist, the store holds the bytes, no spool
    file is left and nothing is left unclaimed. ``inspect(sha256, upload_id)`` reads the
    outcome (by default a fresh process running :func:`after_sweep`); ``observe(upload_id)``
    is called after the crash, before anything resumes.
    """
    data = os.urandom(300_000)
    sha256 = hashlib.sha256(data).hexdigest()
    wrong: list[str] = []
    with site.serve(crash_at=point) as server:
        location = server.create(len(data))
        first = server.patch(location, data[:100_000], 0)
        if first.status != 204:
            return [f"first PATCH answered {first.status}"]
        try:
            answer = server.patch(location, data[100_000:], 100_000)
            wrong.append(f"the server was not killed at {point}: {answer.status}")
        except Killed:
            pass
        if not server.killed():
            wrong.append("the server did not die of SIGKILL")
    upload_id = location.rstrip("/").rsplit("/", 1)[1]
    if observe is not None:
        observe(upload_id)
    if not client_returns:
        swept = site.sweep() if inspect is None else sweep()
        # Received but not committed: the sweep finishes it. Before, nothing was recorded
        # (the client must send again); after, there is nothing left to finish.
        due = [upload_id] if point in ("received", "linked") else []
        if swept["finished"] != due:
            wrong.append(f"the sweep finished {swept['finished']}")
    head = resume.head(location)
    offset = head.getheader("Upload-Offset")
    if point == "spool-complete":
        # Nothing was recorded: HEAD says what the client last heard; it sends the rest.
        if head.status != 200 or offset != "100000":
            wrong.append(f"HEAD after {point}: {head.status} offset {offset}")
        last = resume.patch(location, data[100_000:], int(offset or 0))
        if last.status != 204 or last.getheader("X-Media-Sha256") != sha256:
            wrong.append(f"PATCH after {point}: {last.status}")
    elif head.status != 200 or offset != str(len(data)):
        wrong.append(f"HEAD after {point}: {head.status} offset {offset}")
    elif head.getheader("X-Media-Sha256") != sha256:
        wrong.append(f"HEAD after {point}: hash {head.getheader('X-Media-Sha256')}")
    again = resume.head(location)
    if again.getheader("Upload-Offset") != str(len(data)):
        wrong.append(f"second HEAD after {point}: {again.getheader('Upload-Offset')}")
    state = (inspect or site.after_sweep)(sha256, upload_id)
    expected = {
        "items": 1,
        "entries": 1,
        "upload": "complete",
        "upload_item": True,
        "stored": True,
        "spool_left": False,
        "unclaimed": [],
    }
    wrong.extend(f"{key}: {state[key]!r}" for key in expected if state[key] != expected[key])
    return wrong
