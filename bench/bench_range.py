"""Median latency of a 1 MiB range read at the end of a 4 GiB original, over nginx's.

Reproduce:  .venv/bin/python bench/bench_range.py        (or: make bench)
Options:    --server gunicorn|runserver  --requests 300  --fresh

The original is a 4 GiB file in the local store layout
(<data dir>/store/originals/ab/cd/<sha256>, sparse but for its last 16 MiB,
which are random) with a MediaItem row pointing at it, made by
bench/gen_media.py in /tmp/fullrecord-bench/range/ and kept between runs.
The application runs as a real server process (gunicorn, one sync worker, when
the dev dependencies have it; ``fullrecord runserver --noreload`` otherwise),
and the client authenticates with the token ``fullrecord apitoken`` prints for
the head of the section that owns the original. As a player does, the client
starts one playback (``POST /api/media/<id>/playback``: one audit entry, a
playback grant) and then asks for ranges of the signed URL it was given
(``/playback/<grant>/<expires>/<signature>``), each checked against the grant,
the token and the user by one query and sent with sendfile.
nginx (Debian's; installed with apt-get when missing) serves the same file
from a minimal configuration on another loopback port. One client
(http.client, one connection each, reopened when the server closes it) sends
the same request ``Range: bytes=<4 GiB - 1 MiB>-<4 GiB - 1>`` alternately to
each, after a warm-up; a latency is from sending the request to having read
the whole 1 MiB body. The figure is median(application) / median(nginx).
Goal: at most 2. For scale, the same client also times, interleaved, the same
range through the full Django stack (``GET /api/media/<id>/content``, which
API clients use) and GET /healthz (Django answering with next to no work).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import FULLRECORD, ROOT, Dataset, median, percentile  # noqa: E402

GiB = 1024**3
MiB = 1024**2
SIZE = 4 * GiB
HEAD = "head-c1s01"  # head of the section the original belongs to


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not come up on port {port}")


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    print("# nginx is missing: installing Debian's with apt-get", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    apt = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx"]
    if subprocess.run(apt, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True, capture_output=True)
        subprocess.run(apt, env=env, check=True, capture_output=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_nginx(root: Path, port: int, workdir: Path) -> subprocess.Popen:
    """nginx with a minimal configuration: the store's originals under /originals/."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / name).mkdir(exist_ok=True)
    config = workdir / "nginx.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    keepalive_timeout 60s;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    types {{ }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        location /originals/ {{ alias {root}/; }}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [nginx_binary(), "-c", str(config), "-p", str(workdir)], stderr=subprocess.DEVNULL
    )
    wait_for(port, "/", process, "nginx")
    return process


def start_app(kind: str, env: dict[str, str], port: int) -> subprocess.Popen:
    bin_dir = Path(FULLRECORD).parent
    if kind == "gunicorn":
        command = [
            str(bin_dir / "gunicorn"),
            "fullrecord.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ]
    else:
        command = [FULLRECORD, "runserver", "--noreload", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(port, "/healthz", process, kind)
    return process


class Client:
    """One keep-alive connection; reopened when the server closes it (gunicorn's sync worker)."""

    def __init__(self, port: int, path: str, headers: dict[str, str]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.path = path
        self.headers = headers

    def get(self, expect: int = 206) -> tuple[float, bytes]:
        started = time.perf_counter()
        self.connection.request("GET", self.path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != expect or (expect == 206 and len(body) != MiB):
            raise SystemExit(f"{self.path}: HTTP {response.status}, {len(body)} bytes")
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return elapsed, body

    def close(self) -> None:
        self.connection.close()


def start_playback(port: int, item_id: int, token: str) -> str:
    """What the player does on the first play: one POST, answered with the signed URL."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST", f"/api/media/{item_id}/playback", headers={"Authorization": f"Token {token}"}
    )
    response = connection.getresponse()
    answer = response.read()
    connection.close()
    if response.status != 201:
        raise SystemExit(f"starting playback: HTTP {response.status} {answer[:200]!r}")
    return urlsplit(json.loads(answer)["url"]).path


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_server = "gunicorn" if (Path(FULLRECORD).parent / "gunicorn").exists() else "runserver"
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default=default_server)
    parser.add_argument("--requests", type=int, default=300, help="timed requests to each")
    parser.add_argument("--fresh", action="store_true", help="rebuild the 4 GiB original")
    args = parser.parse_args()

    print("# reproduce: .venv/bin/python bench/bench_range.py   (make bench runs it too)")
    dataset = Dataset("sqlite", 100, name="range")
    if args.fresh:
        dataset.drop()
    info = dataset.cached()
    if info and not Path(info["original"]["path"]).exists():
        info = None
    if info is None:
        dataset.drop()
    info = dataset.ensure(extra=["--original-size", str(SIZE)])
    original = info["original"]
    print(f"# original: {original['path']} ({SIZE // GiB} GiB, kept between runs)")
    env = dataset.env()
    token = subprocess.run(
        [FULLRECORD, "apitoken", HEAD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    first = SIZE - MiB
    headers = {"Range": f"bytes={first}-{SIZE - 1}", "Authorization": f"Token {token}"}
    store = Path(original["path"]).parents[2]
    sha = original["sha256"]

    with tempfile.TemporaryDirectory(prefix="fullrecord-bench-nginx-") as workdir:
        nginx_port, app_port = free_port(), free_port()
        nginx = start_nginx(store, nginx_port, Path(workdir))
        app = start_app(args.server, env, app_port)
        try:
            signed = start_playback(app_port, original["id"], token)
            print(f"# signed playback URL: {signed}")
            clients = {
                "app": Client(app_port, signed, headers),
                "nginx": Client(nginx_port, f"/originals/{sha[:2]}/{sha[2:4]}/{sha}", headers),
                "content": Client(app_port, f"/api/media/{original['id']}/content", headers),
            }
            bodies = {name: client.get()[1] for name, client in clients.items()}
            if bodies["app"] != bodies["nginx"]:
                raise SystemExit("the application and nginx sent different bytes")
            if bodies["content"] != bodies["nginx"]:
                raise SystemExit("the content endpoint and nginx sent different bytes")
            for _ in range(20):  # warm-up
                for client in clients.values():
                    client.get()
            floor = Client(app_port, "/healthz", {})  # a Django request doing almost nothing
            samples: dict[str, list[float]] = {"app": [], "nginx": [], "content": [], "floor": []}
            for _ in range(args.requests):  # alternate, so background load hits both alike
                for name, client in clients.items():
                    samples[name].append(client.get()[0])
                samples["floor"].append(floor.get(expect=200)[0])
            for client in [*clients.values(), floor]:
                client.close()
        finally:
            stop(app)
            stop(nginx)

    labels = {
        "app": f"{args.server} signed playback URL",
        "nginx": "nginx",
        "content": f"{args.server} GET /api/media/<id>/content (full Django stack)",
        "floor": f"{args.server} GET /healthz",
    }
    for name, values in samples.items():
        label = labels[name]
        print(
            f"# {label}: median {median(values) * 1000:.3f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:.3f} ms over {len(values)} requests"
        )
    print(f"range_app_median_ms: {median(samples['app']) * 1000:.3f}")
    print(f"range_nginx_median_ms: {median(samples['nginx']) * 1000:.3f}")
    print(f"range_vs_nginx: {median(samples['app']) / median(samples['nginx']):.2f}")
    print(f"range_content_vs_nginx: {median(samples['content']) / median(samples['nginx']):.2f}")


if __name__ == "__main__":
    main()
