"""A log signed before keys were kept in a table verifies after the upgrade and rotates."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from fullrecord.audit import signing
from fullrecord.audit.models import SignedTreeHead, SigningKey
from fullrecord.audit.services import record, rotate_signing_key, verify_log

pytestmark = pytest.mark.usefixtures("every_app_migrated_afterwards")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_heads_signed_before_the_upgrade_verify_after_it_and_after_a_rotation(settings, tmp_path):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 3
    settings.FULLRECORD_AUDIT_HEAD_SINKS = []
    settings.FULLRECORD_AUDIT_SIGNING_KEY_FILE = str(tmp_path / "audit-signing-key.pem")
    (tmp_path / "audit-signing-key.pem").write_bytes(signing.generate_pem())
    for n in range(7):
        record("test.before_upgrade", data={"n": n})
    call_command("migrate", "audit", "0004", verbosity=0)  # the schema before this change
    call_command("migrate", "audit", verbosity=0)
    assert not SigningKey.objects.exists()
    assert list(SignedTreeHead.objects.values_list("tree_size", flat=True)) == [1, 3, 6]
    assert verify_log() == []

    old_id, new_id = rotate_signing_key()
    record("test.after_upgrade")
    assert verify_log() == []
    assert SigningKey.objects.get(key_id=old_id).successor_key_id == new_id
