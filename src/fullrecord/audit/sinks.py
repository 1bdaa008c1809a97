"""Signed tree heads leave the machine: each is also written where the operator names.

``FULLRECORD_AUDIT_HEAD_SINKS`` lists the destinations, separated by commas:

- ``dir:/mnt/offsite/fullrecord`` — appends one JSON line per head to
  ``audit-heads.jsonl`` in that directory, fsynced. The directory must already exist
  (it is meant to be another disk, or another host's share, made append-only there:
  ``chattr +a``, a WORM share); it is never created, so an unmounted share fails
  loudly instead of filling the local disk.
- ``syslog:`` (the local ``/dev/log``) or ``syslog:HOST:PORT`` (UDP) — one message per
  head, for a log collector that keeps what it receives.
- ``mail:ADDRESS`` — the heads not yet sent, as JSON lines in one message to that
  address, at most every ``FULLRECORD_AUDIT_HEAD_MAIL_MINUTES`` (Django's e-mail
  backend); name several ``mail:`` destinations for several recipients.

Delivery happens in the every-minute job (never in a request and never inside a
transaction). Each destination keeps how far it got (``HeadSinkState``): a failure
leaves the heads waiting in the database, logs an error, shows in ``/healthz`` and
is retried on the next run; a head is never lost because a destination is down.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from logging.handlers import SysLogHandler
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils import timezone

from .models import AuditEntry, HeadSinkState, SignedTreeHead
from .services import HEADS_FILE, head_line

logger = logging.getLogger("fullrecord.audit.heads")

BATCH = 500  # heads per delivery: a destination that was away catches up over a few runs
STALE = timedelta(minutes=5)  # a destination this far behind the newest head is reported


@dataclass(frozen=True)
class Sink:
    spec: str

    @property
    def every(self) -> timedelta:
        return timedelta(0)

    def deliver(self, lines: list[dict]) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class DirectorySink(Sink):
    directory: Path

    def deliver(self, lines: list[dict]) -> None:
        if not self.directory.is_dir():
            raise OSError(f"{self.directory} is not a directory (not mounted?)")
        path = self.directory / HEADS_FILE
        created = not path.exists()
        payload = "".join(json.dumps(line, sort_keys=True) + "\n" for line in lines).encode()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            directory = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)


class _RaisingSysLogHandler(SysLogHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        raise  # noqa: PLE0704 — the delivery must fail, not print and carry on


@dataclass(frozen=True)
class SyslogSink(Sink):
    address: str | tuple[str, int]

    def deliver(self, lines: list[dict]) -> None:
        handler = _RaisingSysLogHandler(
            address=self.address,
            facility=SysLogHandler.LOG_AUTH,
            socktype=socket.SOCK_DGRAM,
        )
        handler.ident = "fullrecord-audit-head: "
        try:
            for line in lines:
                record = logging.LogRecord(
                    "fullrecord.audit.heads",
                    logging.INFO,
                    __file__,
                    0,
                    json.dumps(line, sort_keys=True),
                    None,
                    None,
                )
                handler.emit(record)
        finally:
            handler.close()


@dataclass(frozen=True)
class MailSink(Sink):
    address: str

    @property
    def every(self) -> timedelta:
        return timedelta(minutes=settings.FULLRECORD_AUDIT_HEAD_MAIL_MINUTES)

    def deliver(self, lines: list[dict]) -> None:
        first, last = lines[0]["tree_size"], lines[-1]["tree_size"]
        body = (
            "fullrecord 审计日志签名树头 / signed tree heads of the audit log\n"
            f"{len(lines)} heads, tree sizes {first}-{last}. Keep this message: "
            "`fullrecord verify --against FILE` checks the log against these lines.\n\n"
            + "".join(json.dumps(line, sort_keys=True) + "\n" for line in lines)
        )
        message = EmailMessage(
            subject=f"[fullrecord] audit tree heads {first}-{last}",
            body=body,
            to=[self.address],
        )
        message.send(fail_silently=False)


def parse(spec: str) -> Sink:
    kind, _, rest = spec.partition(":")
    if kind == "dir" and rest.startswith("/"):
        return DirectorySink(spec, Path(rest))
    if kind == "syslog":
        if not rest:
            return SyslogSink(spec, "/dev/log")
        if rest.startswith("/"):
            return SyslogSink(spec, rest)
        host, _, port = rest.rpartition(":")
        if host and port.isdigit():
            return SyslogSink(spec, (host, int(port)))
    if kind == "mail" and "@" in rest:
        return MailSink(spec, rest)
    raise ImproperlyConfigured(
        f"FULLRECORD_AUDIT_HEAD_SINKS: {spec!r} is not a destination "
        "(use dir:/absolute/path, syslog:, syslog:HOST:PORT or mail:ADDRESS)"
    )


def configured() -> list[Sink]:
    return [parse(spec) for spec in settings.FULLRECORD_AUDIT_HEAD_SINKS]


def deliver_heads(now=None) -> dict[str, str]:
    """Send every destination the heads it has not had yet; returns what happened to each."""
    now = now or timezone.now()
    outcome = {}
    for sink in configured():
        state, _ = HeadSinkState.objects.get_or_create(sink=sink.spec)
        if sink.every and state.delivered_at and now - state.delivered_at < sink.every:
            outcome[sink.spec] = "waiting"
            continue
        heads = list(
            SignedTreeHead.objects.filter(tree_size__gt=state.delivered_size).order_by("tree_size")[
                :BATCH
            ]
        )
        if not heads:
            outcome[sink.spec] = "up to date"
            continue
        try:
            sink.deliver([head_line(head) for head in heads])
        except Exception as exc:  # any failure of any destination: keep the heads, report
            failures = state.failures + 1
            error = f"{exc.__class__.__name__}: {exc}"[:500]
            HeadSinkState.objects.filter(pk=state.pk).update(
                failures=failures, last_error=error, last_attempt_at=now
            )
            logger.error(
                "audit tree heads not delivered to %s (%d failure(s) in a row; heads from "
                "size %d wait in the database and will be sent again): %s",
                sink.spec,
                failures,
                heads[0].tree_size,
                error,
            )
            outcome[sink.spec] = "failed"
            continue
        HeadSinkState.objects.filter(pk=state.pk, delivered_size__lt=heads[-1].tree_size).update(
            delivered_size=heads[-1].tree_size,
            delivered_at=now,
            last_attempt_at=now,
            failures=0,
            last_error="",
        )
        outcome[sink.spec] = f"delivered {len(heads)}"
    return outcome


def health(now=None) -> dict:
    """For ``/healthz``: are heads signed and leaving the machine? Not ok when an entry
    has waited more than five minutes for a head (no scheduler or worker, key missing),
    or a destination failed its last delivery or is that far (plus its own pace) behind."""
    now = now or timezone.now()
    newest = SignedTreeHead.objects.order_by("-tree_size").first()
    report: dict = {"ok": True, "destinations": []}
    if newest is not None:
        report["newest_head"] = {"tree_size": newest.tree_size, "signed_at": newest.signed_at}
    # Heads being signed at all: the oldest entry no head covers must be fresh.
    first_unsigned = (
        AuditEntry.objects.filter(seq__gt=newest.tree_size if newest else 0)
        .order_by("seq")
        .values_list("at", flat=True)
        .first()
    )
    report["signing_ok"] = first_unsigned is None or now - first_unsigned <= STALE
    report["ok"] = report["signing_ok"]
    for sink in configured():
        state = HeadSinkState.objects.filter(sink=sink.spec).first()
        delivered = state.delivered_size if state else 0
        behind = newest is not None and delivered < newest.tree_size
        stale = behind and now - newest.signed_at > STALE + sink.every
        failing = bool(state and state.failures)
        # /healthz answers anyone: the kind of destination, not its path, address or error
        # (those are in the log line and in `fullrecord audit_sign`).
        report["destinations"].append(
            {
                "kind": sink.spec.partition(":")[0],
                "delivered_size": delivered,
                "failures": state.failures if state else 0,
                "ok": not (stale or failing),
            }
        )
        report["ok"] = report["ok"] and not (stale or failing)
    return report
