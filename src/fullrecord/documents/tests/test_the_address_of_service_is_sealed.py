"""个人信息保护法, 密评: where a party was served is sealed with SM4 at rest, as the party's
own address is, reads back as typed, and a row the release before stored in plain text is
sealed in place by the upgrade."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from fullrecord.cases.choices import CaseState
from fullrecord.documents import services
from fullrecord.documents.models import Service

from .helpers import PNG, issued, ready_case

pytestmark = pytest.mark.django_db
ADDRESS = "清河县东关村一组12号"


def raw_address(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM documents_service WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def served(bureau) -> Service:
    case = ready_case(bureau, CaseState.STOPPED)
    document = issued(case, "stop_order", bureau)
    return services.record_service(
        document,
        actor=bureau.officer,
        method="direct",
        served_on=timezone.localdate(),
        recipient="王某某",
        address=ADDRESS,
        proof_name="回证.png",
        proof_chunks=[PNG],
    )


def test_the_address_is_stored_sealed_and_read_back_as_typed(bureau):
    service = served(bureau)

    assert raw_address(service.pk).startswith("sm4$")
    assert ADDRESS not in raw_address(service.pk)
    assert Service.objects.get(pk=service.pk).address == ADDRESS


def test_a_plain_address_of_the_release_before_is_sealed_by_the_upgrade(bureau):
    service = served(bureau)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE documents_service SET address = %s WHERE id = %s", [ADDRESS, service.pk]
        )
    migration = importlib.import_module(
        "fullrecord.documents.migrations.0006_service_address_sealed_with_sm4"
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.seal_existing(apps, editor)
    sealed = raw_address(service.pk)
    migration.seal_existing(apps, editor)  # a re-run leaves it as it is

    assert sealed.startswith("sm4$") and raw_address(service.pk) == sealed
    assert Service.objects.get(pk=service.pk).address == ADDRESS
