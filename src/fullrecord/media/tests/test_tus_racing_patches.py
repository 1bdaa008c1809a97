"""Two PATCHes racing on one upload: exactly one wins, the other is refused, no mixed bytes.

Real threads against a real server (``live_server``) over loopback sockets; the lock is
a non-blocking ``flock`` on the spool file, so it holds across worker processes too.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading

import pytest
import requests

from fullrecord.accounts.services import issue_api_token
from fullrecord.media import tus
from fullrecord.media.models import MediaItem, Upload

from .live import open_patch, read_status, server_fixture, wait_for  # noqa: F401
from .tus_helpers import metadata

LENGTH = 3 * tus.WRITE_BUFFER
HELD = tus.WRITE_BUFFER + tus.BLOCK  # enough for the server to have written some to disk
PREFIX = os.urandom(1024)


@pytest.fixture
def token(bureau):
    return issue_api_token(bureau.officer)


def _create(server, token) -> str:
    auth = {"Authorization": f"Token {token}", "Tus-Resumable": "1.0.0"}
    response = requests.post(
        f"{server}/api/uploads/",
        headers={
            **auth,
            "Upload-Length": str(LENGTH),
            "Upload-Metadata": metadata(filename="r.mp4"),
        },
        timeout=10,
    )
    location = response.headers["Location"]
    done = requests.patch(
        location,
        data=PREFIX,
        headers={**auth, "Upload-Offset": "0", "Content-Type": tus_type()},
        timeout=10,
    )
    assert done.status_code == 204
    return location


def tus_type() -> str:
    return "application/offset+octet-stream"


def test_a_patch_arriving_while_another_writes_is_refused_with_423(server, token):
    location = _create(server, token)
    first_rest = os.urandom(LENGTH - len(PREFIX))
    second_rest = os.urandom(LENGTH - len(PREFIX))

    # The first PATCH sends part of its body and waits: the server holds the upload's lock.
    first = open_patch(location, token, len(PREFIX), len(first_rest))
    first.sendall(first_rest[:HELD])
    upload = Upload.objects.get()
    wait_for(lambda: tus.spool_path(upload.pk).stat().st_size > len(PREFIX))

    second = open_patch(location, token, len(PREFIX), len(second_rest))
    second.sendall(second_rest)
    assert read_status(second)[0] == 423

    first.sendall(first_rest[HELD:])
    status, headers = read_status(first)
    assert status == 204
    assert headers["x-media-sha256"] == hashlib.sha256(PREFIX + first_rest).hexdigest()
    assert MediaItem.objects.get().sha256 == hashlib.sha256(PREFIX + first_rest).hexdigest()


def test_of_many_patches_at_once_exactly_one_wins_and_no_bytes_mix(server, token):
    location = _create(server, token)
    bodies = [os.urandom(LENGTH - len(PREFIX)) for _ in range(6)]
    statuses: list[int] = [0] * len(bodies)
    start = threading.Barrier(len(bodies))

    def race(index: int) -> None:
        start.wait()
        sock = open_patch(location, token, len(PREFIX), len(bodies[index]))
        with contextlib.suppress(OSError):  # refused early and closed: the answer is there
            sock.sendall(bodies[index])
        statuses[index] = read_status(sock)[0]

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert statuses.count(204) == 1, statuses
    assert all(status in (204, 409, 423) for status in statuses), statuses
    winner = bodies[statuses.index(204)]
    item = MediaItem.objects.get()
    assert item.sha256 == hashlib.sha256(PREFIX + winner).hexdigest()
    from fullrecord.media.store import get_store

    with get_store().open(item.sha256) as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == item.sha256
