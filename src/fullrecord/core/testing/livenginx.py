"""Debian's nginx (``nginx-light``) in front of a live ``fullrecord serve``, for tests.

Its own prefix, pid file, logs and temp directories under the test's directory, on a
free loopback port; never the system service. The site block is what
``fullrecord nginx_config`` prints for the same environment, so what is tested is
what the documentation tells an operator to install.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from .liveserve import free_port
from .liveworkers import PROCESS_BOUND, poll


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        raise AssertionError(
            "nginx is missing: `apt-get install -y nginx-light` (make test installs it)"
        )
    return found


def site_config(env: dict[str, str], port: int) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "fullrecord", "nginx_config", "--listen", f"127.0.0.1:{port}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise AssertionError(done.stderr[-3000:])
    return done.stdout


@contextmanager
def running_nginx(workdir: Path, env: dict[str, str]):
    """nginx with ``fullrecord nginx_config``'s site; yields its port."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / name).mkdir(exist_ok=True)
    port = free_port()
    (workdir / "site.conf").write_text(site_config(env, port))
    config = workdir / "nginx.conf"
    config.write_text(
        f"""daemon off;
user root;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format timed "$msec $request $status rt=$request_time urt=$upstream_response_time ua=$upstream_addr";
    access_log {workdir}/access.log timed;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    types {{ }}
    default_type application/octet-stream;
    include {workdir}/site.conf;
}}
"""
    )
    test = subprocess.run(  # noqa: S603 - Debian's nginx on our own configuration
        [nginx_binary(), "-t", "-c", str(config), "-p", str(workdir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if test.returncode:
        raise AssertionError(f"nginx -t: {test.stderr}")
    process = subprocess.Popen(  # noqa: S603 - Debian's nginx on our own configuration
        [nginx_binary(), "-c", str(config), "-p", str(workdir)],
        stderr=subprocess.DEVNULL,
    )
    try:

        def listening() -> bool:
            if process.poll() is not None:
                raise AssertionError((workdir / "error.log").read_text(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                return True
            except OSError:
                return False

        poll(listening, "nginx to listen")
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # fast shutdown: open streams are cut
            try:
                process.wait(timeout=PROCESS_BOUND)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
