"""Two officers check out the same camera at the same instant: exactly one gets it.

Two threads, each with its own database connection, start together at a barrier. On
PostgreSQL the row lock on the device makes the second wait and then see it checked
out; the unique index on a device's open checkout is the last word either way.
"""

from __future__ import annotations

import pytest
from django.db import connection

from fullrecord.audit.models import AuditEntry
from fullrecord.audit.services import verify_chain
from fullrecord.core.testing.concurrency import race, threads_on_a_file
from fullrecord.core.testing.personas import build_bureau
from fullrecord.devices.choices import DeviceStatus
from fullrecord.devices.models import Checkout, Device
from fullrecord.devices.services import CheckoutResult, DeviceError

from .helpers import check_out, register


def both_at_once(bureau, device_pk):
    def send(officer):
        def call():
            device = Device.objects.get(pk=device_pk)  # each holds its own copy, as a request
            return check_out(device, officer)

        return call

    return race(send(bureau.officer), send(bureau.officer2))


def assert_one_won(results, device_pk):
    won = [r for r in results if isinstance(r, CheckoutResult) and not r.blocked]
    refused = [r for r in results if isinstance(r, DeviceError)]
    assert len(won) == 1, results
    assert len(refused) == 1, results
    assert Checkout.objects.filter(device_id=device_pk).count() == 1
    assert Device.objects.get(pk=device_pk).status == DeviceStatus.CHECKED_OUT
    assert AuditEntry.objects.filter(action="devices.checkout").count() == 1
    assert verify_chain() == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_two_simultaneous_checkouts_of_one_device_let_one_through():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks across two connections")
    bureau = build_bureau()
    device = register(bureau, "DSJ-RACE")

    assert_one_won(both_at_once(bureau, device.pk), device.pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_two_simultaneous_checkouts_of_one_device_let_one_through(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant")
    bureau = build_bureau()
    device = register(bureau, "DSJ-RACE")

    with threads_on_a_file(tmp_path / "race.sqlite3"):
        results = both_at_once(bureau, device.pk)
        # Checked over a new connection too: the file copy is where the race ran.
        (outcome,) = race(lambda: assert_one_won(results, device.pk))
    if outcome is not None:
        raise outcome
