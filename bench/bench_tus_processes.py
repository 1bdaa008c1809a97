"""tus PATCHes of one upload alternating between two server processes, against one process.

Reproduce:  .venv/bin/python bench/bench_tus_processes.py      (or: make bench)
Options:    --size-gib 1  --chunk-mib 64  --reps 1

Two ``fullrecord serve --workers 1`` servers (gunicorn, gthread) on two ports share one
data directory (SQLite, one spool), as two web processes behind a balancer do. A 1 GiB
upload is sent in 64 MiB PATCHes, each on a new connection:

* ``tus_alternating_vs_one_process``: PATCHes alternating between the two servers (each
  PATCH reaches the process that did not take the previous one) over all PATCHes to
  one server. The running SHA-256 is saved on the spool file after each PATCH
  (``media/sha256state.py``), so the other process continues from it. Goal: at most 1.2.
* ``tus_alternating_vs_one_process_without_saved_hash``: the same with
  ``FULLRECORD_TUS_SAVED_HASH=0``: each process re-reads and re-hashes everything received
  before (what happened before; the cost grows with the square of the size).

The file is made of random bytes in a fresh directory under /tmp, removed afterwards.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import (  # noqa: E402
    BIN,
    GiB,
    MiB,
    _answer,
    _request,
    environment,
    free_port,
    make_file,
    prepare_site,
)


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(BIN / "fullrecord"),
            "serve",
            "--workers",
            "1",
            "--threads",
            "4",
            "--timeout",
            "600",
            "--no-worker",
            "--no-scheduler",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"serve did not come up on port {port}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=120)


def upload(ports: list[int], token: str, path: Path, chunk: int) -> tuple[float, str]:
    """POST, then PATCHes of ``chunk`` bytes, the n-th to ``ports[n % len(ports)]``."""
    size = path.stat().st_size

    def common(port: int) -> str:
        return f"Host: 127.0.0.1:{port}\r\nAuthorization: Token {token}\r\nTus-Resumable: 1.0.0\r\n"

    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", ports[0])) as sock:
        _request(
            sock,
            f"POST /api/uploads/ HTTP/1.1\r\n{common(ports[0])}Upload-Length: {size}\r\n"
            "Upload-Metadata: filename YmVuY2guYmlu\r\nContent-Length: 0\r\n\r\n",
        )
        status, headers = _answer(sock)
    if status != 201:
        raise RuntimeError(f"creation answered {status}: {headers}")
    location = "/" + headers["location"].split("/", 3)[3]
    offset, n = 0, 0
    with open(path, "rb") as source:
        while offset < size:
            port = ports[n % len(ports)]
            length = min(chunk, size - offset)
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MiB)
                _request(
                    sock,
                    f"PATCH {location} HTTP/1.1\r\n{common(port)}Upload-Offset: {offset}\r\n"
                    "Content-Type: application/offset+octet-stream\r\n"
                    f"Content-Length: {length}\r\n\r\n",
                )
                sock.sendfile(source, offset, length)
                status, headers = _answer(sock)
            if status != 204:
                raise RuntimeError(f"PATCH at {offset} answered {status}: {headers}")
            offset += length
            n += 1
    return time.perf_counter() - started, headers.get("x-media-sha256", "")


def measure(work: Path, file: Path, expected: str, args, saved: bool) -> tuple[float, float]:
    data = work / ("data-saved" if saved else "data-unsaved")
    env = environment(data)
    env["FULLRECORD_TUS_SAVED_HASH"] = "1" if saved else "0"
    token = prepare_site(env)
    ports = [free_port(), free_port()]
    servers = [start(env, port) for port in ports]
    try:
        one, alternating = [], []
        for _ in range(args.reps):
            # Each upload is new evidence only the first time; the same bytes again are a
            # duplicate receipt, which does the same receiving and hashing.
            seconds, sha = upload(ports[:1], token, file, args.chunk_mib * MiB)
            assert sha == expected, sha
            one.append(seconds)
            seconds, sha = upload(ports, token, file, args.chunk_mib * MiB)
            assert sha == expected, sha
            alternating.append(seconds)
    finally:
        for server in servers:
            stop(server)
    return min(one), min(alternating)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-gib", type=float, default=1)
    parser.add_argument("--chunk-mib", type=int, default=64)
    parser.add_argument("--reps", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fullrecord-bench-tusproc-"))
    try:
        file = work / "upload.bin"
        make_file(file, int(args.size_gib * GiB))
        digest = hashlib.sha256()
        with open(file, "rb") as handle:
            while block := handle.read(16 * MiB):
                digest.update(block)
        expected = digest.hexdigest()
        print(f"# {args.size_gib:g} GiB in {args.chunk_mib} MiB PATCHes, two serve processes")
        one, alternating = measure(work, file, expected, args, saved=True)
        print(f"# saved hash: one process {one:.2f} s, alternating {alternating:.2f} s")
        print(f"tus_alternating_vs_one_process: {alternating / one:.2f}")
        one_u, alternating_u = measure(work, file, expected, args, saved=False)
        print(f"# without: one process {one_u:.2f} s, alternating {alternating_u:.2f} s")
        print(f"tus_alternating_vs_one_process_without_saved_hash: {alternating_u / one_u:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
