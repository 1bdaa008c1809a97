"""100 players streaming and seeking in a 4 GiB original: p95 time to the first byte after a
seek on ``fullrecord serve`` (what ``make run`` starts), against nginx serving the file.

Reproduce:  .venv/bin/python bench/bench_streams.py          (or: make bench)
Options:    --players 100  --seconds 30  --accel  --workers 2 --threads 64

Each player does what a browser's ``<video>`` does: one playback start (``POST
/api/media/<id>/playback``, one entry), then, over and over, a GET of the signed URL with
an open-ended range (``Range: bytes=<offset>-``) at a random offset, reading the answer at
8 Mbit/s for 2 to 4 seconds, then dropping the connection and seeking elsewhere. A
sample is the time from sending a request to its first body byte. The same players then
do the same against nginx serving the file directly (a minimal configuration, Debian's
nginx), in the same run. Figures:

* ``streams_100_seek_p95_ms``: the application's p95, in ms;
* ``streams_100_seek_nginx_p95_ms``: nginx's;
* ``streams_100_seek_vs_nginx``: their ratio (goal: at most 2), and the errors of each
  (goal: 0).

``--accel`` puts nginx in front of the application with ``FULLRECORD_ACCEL_REDIRECT``
(the site ``fullrecord nginx_config`` prints): the application checks each range, nginx
sends the bytes. The original is bench_range.py's (``/tmp/fullrecord-bench/range``).
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FULLRECORD, ROOT, Dataset, percentile  # noqa: E402
from bench_range import (  # noqa: E402
    HEAD,
    SIZE,
    free_port,
    nginx_binary,
    start_playback,
    stop,
    wait_for,
)

RATE = 1_000_000  # bytes a second: 8 Mbit/s
BLOCK = 64 * 1024


def player(port, path, headers, until, samples, errors, seed) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        offset = rng.randrange(0, SIZE - 64 * 1024 * 1024)
        hold = rng.uniform(2.0, 4.0)
        head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes={offset}-\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 * 1024)
                started = time.perf_counter()
                sock.sendall(head.encode())
                data = b""
                while b"\r\n\r\n" not in data:
                    block = sock.recv(BLOCK)
                    if not block:
                        raise OSError("closed before the headers")
                    data += block
                status = data.split(b" ", 2)[1]
                body = data.split(b"\r\n\r\n", 1)[1]
                if not body:
                    body = sock.recv(BLOCK)
                first = time.perf_counter()
                if status != b"206" or not body:
                    errors.append(status.decode(errors="replace"))
                    continue
                samples.append(first - started)
                received, stop_at = len(body), first + hold
                while time.perf_counter() < stop_at:
                    block = sock.recv(BLOCK)
                    if not block:
                        break
                    received += len(block)
                    ahead = received / RATE - (time.perf_counter() - first)
                    if ahead > 0:
                        time.sleep(ahead)  # a player's pace, not a wait on a result
        except OSError as exc:
            errors.append(type(exc).__name__)
            time.sleep(0.5)  # a player retrying, not a storm of reconnections


def run(port, path, headers, players, seconds) -> tuple[list[float], list[str]]:
    samples: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=player, args=(port, path, headers, until, samples, errors, n))
        for n in range(players)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, errors


def start_serve(env, port, args) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            FULLRECORD,
            "serve",
            "--no-worker",
            "--no-scheduler",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env={**env, "FULLRECORD_LOG_LEVEL": "WARNING"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, "/healthz", process, "fullrecord serve")
    return process


def start_direct(store: Path, workdir: Path) -> tuple[subprocess.Popen, int]:
    """nginx serving the store's files directly, sized for the players (bench_range.py's
    minimal nginx allows 64 connections)."""
    port = free_port()
    server = f"server {{ listen 127.0.0.1:{port}; location /originals/ {{ alias {store}/; }} }}"
    return _nginx(workdir, "direct", server, port, "/")


def _nginx(workdir: Path, name: str, body: str, port: int, probe: str):
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / sub).mkdir(exist_ok=True)
    (workdir / f"{name}.conf").write_text(
        f"""daemon off;
user root;
worker_processes 1;
pid {workdir}/{name}.pid;
error_log {workdir}/{name}-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    types {{ }}
    default_type application/octet-stream;
    {body}
}}
"""
    )
    process = subprocess.Popen(
        [nginx_binary(), "-c", str(workdir / f"{name}.conf"), "-p", str(workdir)],
        stderr=subprocess.DEVNULL,
    )
    wait_for(port, probe, process, f"nginx ({name})")
    return process, port


def start_front(env, app_port, workdir: Path) -> tuple[subprocess.Popen, int]:
    """nginx in front of the application, from ``fullrecord nginx_config``."""
    port = free_port()
    site = subprocess.run(
        [FULLRECORD, "nginx_config", "--listen", f"127.0.0.1:{port}"],
        env={**env, "FULLRECORD_BIND": f"127.0.0.1:{app_port}"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (workdir / "site.conf").write_text(site)
    return _nginx(workdir, "front", f"include {workdir}/site.conf;", port, "/healthz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--players", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=64)
    parser.add_argument("--accel", action="store_true", help="nginx in front, X-Accel-Redirect")
    args = parser.parse_args()
    print(
        "# reproduce: .venv/bin/python bench/bench_streams.py" + (" --accel" if args.accel else "")
    )
    dataset = Dataset("sqlite", 100, name="range")
    info = dataset.cached()
    if info is None or not Path(info["original"]["path"]).exists():
        dataset.drop()
    info = dataset.ensure(extra=["--original-size", str(SIZE)])
    original = info["original"]
    env = dataset.env()
    if args.accel:
        env["FULLRECORD_ACCEL_REDIRECT"] = "/_fullrecord/"
    token = subprocess.run(
        [FULLRECORD, "apitoken", HEAD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    auth = {"Authorization": f"Token {token}"}
    store = Path(original["path"]).parents[2]
    sha = original["sha256"]
    with tempfile.TemporaryDirectory(prefix="fullrecord-bench-streams-") as workdir:
        work = Path(workdir)
        app_port = free_port()
        nginx, nginx_port = start_direct(store, work)
        app = start_serve(env, app_port, args)
        front = None
        try:
            port = app_port
            if args.accel:
                front, port = start_front(env, app_port, work)
            signed = start_playback(port, original["id"], token)
            print(
                f"# {args.players} players, {args.seconds:g} s each side, serve --workers "
                f"{args.workers} --threads {args.threads}"
                + (", behind nginx" if args.accel else "")
            )
            app_samples, app_errors = run(port, signed, auth, args.players, args.seconds)
            direct = f"/originals/{sha[:2]}/{sha[2:4]}/{sha}"
            nginx_samples, nginx_errors = run(nginx_port, direct, {}, args.players, args.seconds)
        finally:
            if front is not None:
                stop(front)
            stop(app)
            stop(nginx)
    app_p95 = percentile(app_samples, 0.95) * 1000
    nginx_p95 = percentile(nginx_samples, 0.95) * 1000
    print(
        f"# application: {len(app_samples)} seeks, errors {len(app_errors)} {sorted(set(app_errors))}"
    )
    print(
        f"# nginx: {len(nginx_samples)} seeks, errors {len(nginx_errors)} {sorted(set(nginx_errors))}"
    )
    name = "streams_100_seek" if args.players == 100 else f"streams_{args.players}_seek"
    suffix = "_accel" if args.accel else ""
    print(f"{name}{suffix}_p95_ms: {app_p95:.1f}")
    print(f"{name}_nginx_p95_ms: {nginx_p95:.1f}")
    print(f"{name}{suffix}_vs_nginx: {app_p95 / nginx_p95:.2f}")
    print(f"{name}{suffix}_errors: {len(app_errors)}")


if __name__ == "__main__":
    main()
