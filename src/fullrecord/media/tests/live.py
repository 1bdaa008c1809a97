"""Talking to a real server (pytest-django's ``live_server``) over loopback sockets."""

from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest


@pytest.fixture(name="server")
def server_fixture(live_server, django_db_serialized_rollback) -> str:
    """The running site's base URL; the seeded rows are put back after each test."""
    return live_server.url


def open_patch(url: str, token: str, offset: int, length: int) -> socket.socket:
    """Start a PATCH by hand and return the socket with the headers sent, body not yet."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\n"
        f"Authorization: Token {token}\r\n"
        "Tus-Resumable: 1.0.0\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: {offset}\r\n"
        f"Content-Length: {length}\r\n"
        "Connection: close\r\n\r\n"
    )
    sock.sendall(head.encode())
    return sock


def read_status(sock: socket.socket) -> tuple[int, dict[str, str]]:
    data = b""
    while b"\r\n\r\n" not in data:
        block = sock.recv(65536)
        if not block:
            break
        data += block
    sock.close()
    lines = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers


def wait_for(predicate, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting")
