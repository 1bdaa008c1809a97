"""tus ingest speed against sha256sum, and the server's peak memory on a 4 GiB upload.

Reproduce:  .venv/bin/python bench/bench_ingest.py        (or: make bench)
Options:    --server gunicorn|runserver  --size-gib 1  --rss-size-gib 4  --reps 3  --keep

Figures (one line each, ``name: value``):

* ``ingest_vs_sha256sum``: a 1 GiB tus upload over loopback to a real server process
  (POST to create, one PATCH with the whole file, until the 204 that names the new
  item: the bytes hashed, written to the spool, made durable and taken into the
  content-addressed store) divided by the time ``sha256sum`` takes on the same file,
  both measured in this run, median of ``--reps``. Goal: at most 1.5.
* ``ingest_peak_rss_mb``: the server process's peak resident memory (``VmHWM`` in
  ``/proc/<pid>/status``, reset through ``clear_refs`` just before) during a 4 GiB
  upload. Goal: at most 150.

The file is read from the page cache by both (each is warmed first), so the figure
compares the server's work with hashing alone. The client sends with ``sendfile(2)``
so that the client's own copying is not what is measured. Everything lives in a
fresh directory under /tmp (FULLRECORD_DATA_DIR), removed afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
GiB = 1024**3
MiB = 1024**2


def say(line: str) -> None:
    print(line, flush=True)


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("FULLRECORD_DEBUG", None)
    env.update(
        FULLRECORD_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="fullrecord.settings",
        FULLRECORD_LOG_LEVEL="WARNING",
        FULLRECORD_UPLOAD_MAX_BYTES=str(64 * GiB),
    )
    return env


def prepare_site(env: dict[str, str]) -> str:
    """Migrate a new embedded site and return an officer's API token."""
    subprocess.run([str(BIN / "fullrecord"), "migrate", "--no-input", "-v0"], env=env, check=True)
    script = (
        "from fullrecord.core.testing.personas import build_bureau;"
        "from fullrecord.accounts.services import issue_api_token;"
        "print(issue_api_token(build_bureau().officer))"
    )
    result = subprocess.run(
        [str(BIN / "fullrecord"), "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip().splitlines()[-1]


def make_file(path: Path, size: int) -> None:
    with open(path, "wb") as out:
        left = size
        while left:
            block = os.urandom(min(16 * MiB, left))
            out.write(block)
            left -= len(block)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, env: dict[str, str], port: int) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [
            str(BIN / "gunicorn"),
            "fullrecord.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            # Threads, as in production: a sync worker that spends longer than --timeout
            # on one request (a large chunk over a slow link) is killed by the arbiter.
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ]
    else:
        command = [str(BIN / "fullrecord"), "runserver", "--noreload", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the {kind} server did not come up on port {port}")


def serving_pid(process: subprocess.Popen, kind: str) -> int:
    """The process that handles requests (gunicorn's single worker, or runserver itself)."""
    if kind != "gunicorn":
        return process.pid
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return int(children[0])


def _request(sock: socket.socket, head: str) -> None:
    sock.sendall(head.encode("latin-1"))


def _answer(sock: socket.socket) -> tuple[int, dict[str, str]]:
    data = b""
    while b"\r\n\r\n" not in data:
        block = sock.recv(65536)
        if not block:
            raise RuntimeError(f"connection closed: {data!r}")
        data += block
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        rest += sock.recv(65536)
    return int(lines[0].split()[1]), headers


def tus_upload(port: int, token: str, path: Path) -> tuple[float, dict[str, str]]:
    """POST then one PATCH carrying the whole file; the seconds until the final answer."""
    size = path.stat().st_size
    common = f"Host: 127.0.0.1:{port}\r\nAuthorization: Token {token}\r\nTus-Resumable: 1.0.0\r\n"
    started = time.perf_counter()
    # A connection per request: gunicorn's sync workers do not keep connections alive.
    with socket.create_connection(("127.0.0.1", port)) as sock:
        _request(
            sock,
            f"POST /api/uploads/ HTTP/1.1\r\n{common}Upload-Length: {size}\r\n"
            "Upload-Metadata: filename YmVuY2guYmlu\r\nContent-Length: 0\r\n\r\n",
        )
        status, headers = _answer(sock)
    if status != 201:
        raise RuntimeError(f"creation answered {status}: {headers}")
    location = headers["location"].split(f":{port}", 1)[1]
    with socket.create_connection(("127.0.0.1", port)) as sock, open(path, "rb") as source:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MiB)
        _request(
            sock,
            f"PATCH {location} HTTP/1.1\r\n{common}Upload-Offset: 0\r\n"
            f"Content-Type: application/offset+octet-stream\r\nContent-Length: {size}\r\n\r\n",
        )
        sock.sendfile(source)
        status, headers = _answer(sock)
    elapsed = time.perf_counter() - started
    if status != 204:
        raise RuntimeError(f"PATCH answered {status}: {headers}")
    return elapsed, headers


def sha256sum(path: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and the digest of ``sha256sum path``."""
    before = os.times()
    started = time.perf_counter()
    result = subprocess.run(["sha256sum", str(path)], check=True, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return elapsed, cpu, result.stdout.split()[0]


def warm(path: Path) -> None:
    with open(path, "rb") as handle:
        while handle.read(16 * MiB):
            pass


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--size-gib", type=float, default=1)
    parser.add_argument("--rss-size-gib", type=float, default=4)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if args.server == "gunicorn" and not (BIN / "gunicorn").exists():
        say("# gunicorn is not installed (pip install -e '.[dev]'); using runserver")
        args.server = "runserver"

    say(
        f"# reproduce: {Path(PYTHON).relative_to(ROOT) if PYTHON.startswith(str(ROOT)) else PYTHON} "
        f"bench/bench_ingest.py --server {args.server} --size-gib {args.size_gib:g} "
        f"--rss-size-gib {args.rss_size_gib:g} --reps {args.reps}"
    )
    work = Path(tempfile.mkdtemp(prefix="fullrecord-bench-ingest-", dir="/tmp"))
    process = None
    try:
        env = environment(work / "data")
        token = prepare_site(env)
        small, large = work / "upload-small.bin", work / "upload-large.bin"
        make_file(small, int(args.size_gib * GiB))
        say(f"# work dir {work}; server {args.server}; {os.cpu_count()} CPUs")

        port = free_port()
        process = start_server(args.server, env, port)
        pid = serving_pid(process, args.server)

        warm(small)
        sums, uploads, sum_cpu, server_cpu = [], [], [], []
        for _ in range(args.reps):
            seconds, cpu, expected = sha256sum(small)
            sums.append(seconds)
            sum_cpu.append(cpu)
            warm(small)
            cpu = cpu_seconds(pid)
            seconds, headers = tus_upload(port, token, small)
            server_cpu.append(cpu_seconds(pid) - cpu)
            if headers.get("x-media-sha256") != expected:
                raise SystemExit(f"hash mismatch: server {headers.get('x-media-sha256')}")
            uploads.append(seconds)
        size_mib = small.stat().st_size / MiB
        say(
            f"# {size_mib:.0f} MiB: sha256sum {statistics.median(sums):.2f} s "
            f"({json.dumps([round(s, 2) for s in sums])}), tus upload "
            f"{statistics.median(uploads):.2f} s ({json.dumps([round(s, 2) for s in uploads])}), "
            f"{size_mib / statistics.median(uploads):.0f} MiB/s"
        )
        say(
            f"# CPU seconds: sha256sum {statistics.median(sum_cpu):.2f}, "
            f"server {statistics.median(server_cpu):.2f}; load average {os.getloadavg()[0]:.1f}"
        )
        say(f"ingest_vs_sha256sum: {statistics.median(uploads) / statistics.median(sums):.2f}")
        small.unlink()

        make_file(large, int(args.rss_size_gib * GiB))
        warm(large)
        before = vm_hwm_mb(pid)
        fresh = reset_peak(pid)
        seconds, headers = tus_upload(port, token, large)
        expected = hashlib.sha256()
        with open(large, "rb") as handle:
            while block := handle.read(16 * MiB):
                expected.update(block)
        if headers.get("x-media-sha256") != expected.hexdigest():
            raise SystemExit("hash mismatch on the large upload")
        peak = vm_hwm_mb(pid)
        say(
            f"# {large.stat().st_size / GiB:.0f} GiB upload in {seconds:.1f} s; "
            f"peak before it {before:.0f} MB"
            + ("" if fresh else " (clear_refs refused: peak is over the server's lifetime)")
        )
        say(f"ingest_peak_rss_mb: {peak:.0f}")
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        if args.keep:
            say(f"# kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
