"""``fullrecord serve`` (what ``make run`` starts): gunicorn with threads, the task worker and
the scheduler, as real processes; a signal stops all three and everything they started,
a task worker that dies is started again, and a web server that cannot start stops the
service instead of leaving a worker running without it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys

import pytest

from fullrecord.core.models import WorkerHeartbeat
from fullrecord.core.testing.liveserve import Served, start_serve
from fullrecord.core.testing.liveworkers import PROCESS_BOUND, poll


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_and_a_signal_stops_everything_it_started(live_database, signum):
    served = start_serve(live_database, "--workers", "2", "--threads", "4")
    try:
        started = poll(
            lambda: (s := served.started()) and {"web", "worker", "scheduler"} <= s.keys() and s,
            "the three children",
        )
        # gunicorn's master and two workers, the task worker (and the task process it
        # forks, if any), the scheduler, and serve itself.
        poll(lambda: len(served.processes()) >= 6, "gunicorn's workers")
        health = poll(
            lambda: (
                (answer := json.loads(served.request("GET", "/healthz")[2]))["workers"].get(
                    "workers_alive"
                )
                and answer
            ),
            "the worker's heartbeat in /healthz",
        )
        assert health["status"] in ("ok", "degraded")
        assert health["database"]["ok"] and health["storage"]["ok"]
        assert served.request("GET", "/accounts/login/")[0] == 200  # Django, through gunicorn
        assert started["worker"][0] in set(WorkerHeartbeat.objects.values_list("pid", flat=True))
    finally:
        status = served.stop(signum)
    assert status == 0, served.log()[-3000:]
    poll(lambda: not served.processes(), "every process serve started to end")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", served.port), timeout=5).close()


def test_a_killed_task_worker_is_started_again(live_database):
    served = start_serve(live_database, "--workers", "1", "--no-scheduler")
    try:
        (first,) = poll(lambda: served.started().get("worker"), "the worker")
        poll(
            lambda: first in set(WorkerHeartbeat.objects.values_list("pid", flat=True)),
            "the first worker's heartbeat",
        )
        os.kill(first, signal.SIGKILL)
        pids = poll(
            lambda: len(p := served.started().get("worker", [])) == 2 and p, "a second worker"
        )
        assert pids[1] != first
        assert "worker exited with status -9" in served.log()
        poll(
            lambda: pids[1] in set(WorkerHeartbeat.objects.values_list("pid", flat=True)),
            "the new worker's heartbeat",
        )
        assert served.answers()  # the web server was not touched
    finally:
        assert served.stop() == 0
    poll(lambda: not served.processes(), "every process serve started to end")


def test_serve_killed_with_sigkill_leaves_nothing_running(live_database):
    served = start_serve(live_database, "--workers", "1")
    poll(lambda: len(served.started()) == 3, "the three children")
    os.kill(served.popen.pid, signal.SIGKILL)
    served.popen.wait()
    # Its children were told by the kernel (PR_SET_PDEATHSIG) and stop on their own.
    poll(lambda: not served.processes(), "the orphaned children to stop")


def test_a_web_server_that_cannot_bind_stops_the_service(live_database):
    marker = f"serve-taken-{os.getpid()}"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "fullrecord", "serve"],
            env=dict(
                live_database.env,
                FULLRECORD_BIND=f"127.0.0.1:{port}",
                FULLRECORD_SERVE_TEST_MARKER=marker,
            ),
            capture_output=True,
            text=True,
            timeout=PROCESS_BOUND,
            check=False,
        )
    assert done.returncode != 0
    assert "web exited with status" in done.stderr
    assert "serve: stopped" in done.stderr
    served = Served(None, port, live_database.data_dir / "none", marker)
    poll(lambda: not served.processes(), "the worker and the scheduler to stop")


def test_metrics_count_the_requests_of_every_gunicorn_worker(live_database):
    """prometheus-client's multiprocess mode: whichever worker answers the scrape, it counts
    what all of them served. The request log lines are JSON with the request id."""
    from prometheus_client.parser import text_string_to_metric_families

    served = start_serve(
        live_database,
        "--workers",
        "2",
        "--threads",
        "2",
        "--no-scheduler",
        FULLRECORD_METRICS_TOKEN="scrape-token-0123",
        FULLRECORD_LOG_LEVEL="INFO",
    )
    try:
        poll(lambda: len(served.processes()) >= 4, "gunicorn's two workers")
        before = _healthz_count(served, text_string_to_metric_families)
        ids = [served.request("GET", "/healthz")[1]["X-Request-ID"] for _ in range(40)]
        assert _healthz_count(served, text_string_to_metric_families) - before == 40
        # Every scrape agrees, whichever worker answers it.
        assert _healthz_count(served, text_string_to_metric_families) - before == 40
        assert served.request("GET", "/metrics")[0] == 403  # no token
        poll(
            lambda: (
                (
                    found := [
                        json.loads(line)
                        for line in served.log().splitlines()
                        if line.startswith("{") and '"fullrecord.request"' in line
                    ]
                )
                and {x["request_id"] for x in found} >= set(ids)
                and found
            ),
            "the request lines in serve's output",
        )
    finally:
        assert served.stop() == 0


def _healthz_count(served, parse) -> float:
    status, _headers, body = served.request(
        "GET", "/metrics", {"Authorization": "Bearer scrape-token-0123"}
    )
    assert status == 200, body[:300]
    return sum(
        sample.value
        for family in parse(body.decode())
        for sample in family.samples
        if sample.name == "fullrecord_http_request_duration_seconds_count"
        and sample.labels.get("view") == "healthz"
    )
