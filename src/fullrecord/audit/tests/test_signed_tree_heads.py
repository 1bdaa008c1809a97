"""Tree heads are signed every N entries and at least every minute; proofs check out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fullrecord.audit import merkle, signing
from fullrecord.audit.models import SignedTreeHead
from fullrecord.audit.services import (
    consistency_proof,
    inclusion_proof,
    record,
    sign_tree_head,
    sth_message,
)


@pytest.fixture
def every_five(settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 5


def test_a_head_is_signed_every_n_entries(db, every_five):
    for n in range(12):
        record("test.event", data={"n": n})
    sizes = list(SignedTreeHead.objects.values_list("tree_size", flat=True))
    assert 5 in sizes and 10 in sizes


def test_the_first_entry_is_signed_and_the_same_day_waits_for_the_nth(db, every_five):
    record("test.event")
    assert list(SignedTreeHead.objects.values_list("tree_size", flat=True)) == [1]
    record("test.event")
    assert SignedTreeHead.objects.count() == 1


def test_signatures_verify_with_the_exported_public_key(db, every_five):
    from cryptography.hazmat.primitives import serialization

    for n in range(5):
        record("test.event", data={"n": n})
    key = serialization.load_pem_public_key(signing.public_key_pem().encode())
    for sth in SignedTreeHead.objects.all():
        assert signing.verify(sth_message(sth), sth.signature, key)


def test_sign_now_signs_the_current_size(db):
    for _ in range(3):
        record("test.event")
    assert sign_tree_head().tree_size == 3


def test_inclusion_and_consistency_proofs_check_against_the_signed_roots(db, every_five):
    for n in range(10):
        record("test.event", data={"n": n})
    head5 = SignedTreeHead.objects.get(tree_size=5)
    head10 = SignedTreeHead.objects.get(tree_size=10)
    proof = inclusion_proof(3, 10)
    assert proof["root_hash"] == head10.root_hash
    assert merkle.verify_inclusion(
        2,
        10,
        bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(p) for p in proof["path"]],
        bytes.fromhex(head10.root_hash),
    )
    cproof = consistency_proof(5, 10)
    assert merkle.verify_consistency(
        5,
        10,
        bytes.fromhex(head5.root_hash),
        bytes.fromhex(head10.root_hash),
        [bytes.fromhex(p) for p in cproof["path"]],
    )


def test_a_long_quiet_spell_without_a_signature_signs_on_the_next_entry(
    db, every_five, monkeypatch
):
    record("test.event")
    later = timezone.now() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    record("test.event")
    assert SignedTreeHead.objects.filter(tree_size=2).exists()
