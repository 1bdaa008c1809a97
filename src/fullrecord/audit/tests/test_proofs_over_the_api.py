"""Inclusion proofs against signed tree heads, consistency between heads, the public key."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization

from fullrecord.audit import merkle, signing
from fullrecord.audit.services import record


@pytest.fixture
def every_four(settings):
    settings.FULLRECORD_AUDIT_SIGN_EVERY = 4


@pytest.fixture
def log(bureau, every_four):
    """Ten entries by the officer: heads signed at 1 (the first), 4 and 8."""
    return [record("case.edit", actor=bureau.officer, summary=f"edit {n}") for n in range(10)]


@pytest.fixture
def leader(api_client, bureau):
    api_client.force_authenticate(bureau.leader)
    return api_client


def test_an_entry_is_proven_in_the_latest_signed_head(leader, log):
    body = leader.get(f"/api/audit/entries/{log[2].seq}/proof").json()

    assert body["tree_size"] == 8
    assert body["verified"] is True
    assert body["leaf_hash"] == log[2].leaf_hash
    assert merkle.verify_inclusion(
        2,
        8,
        bytes.fromhex(body["leaf_hash"]),
        [bytes.fromhex(node) for node in body["path"]],
        bytes.fromhex(body["tree_head"]["root_hash"]),
    )


def test_the_head_in_a_proof_verifies_with_the_public_key(leader, log):
    head = leader.get(f"/api/audit/entries/{log[0].seq}/proof").json()["tree_head"]
    pem = leader.get("/api/audit/public-key")

    key = serialization.load_pem_public_key(pem.content)
    assert pem["Content-Type"] == "application/x-pem-file"
    assert head["message"].encode() == signing.tree_head_message(
        head["tree_size"], head["root_hash"], _parse(head["signed_at"])
    )
    assert signing.verify(head["message"].encode(), head["signature"], key)


def _parse(stamp: str):
    from datetime import datetime

    return datetime.fromisoformat(stamp)


def test_a_proof_against_an_older_head_on_request(leader, log):
    body = leader.get(f"/api/audit/entries/{log[1].seq}/proof", {"tree_size": 4}).json()

    assert body["tree_size"] == 4
    assert body["verified"] is True


def test_an_entry_newer_than_every_signed_head_is_a_409(leader, log):
    response = leader.get(f"/api/audit/entries/{log[9].seq}/proof")

    assert response.status_code == 409
    assert response.json()["tree_size"] == 8


def test_a_head_that_does_not_exist_is_a_404(leader, log):
    assert leader.get(f"/api/audit/entries/{log[0].seq}/proof", {"tree_size": 5}).status_code == 404


def test_tree_heads_are_listed_largest_first_and_page(leader, log):
    first = leader.get("/api/audit/tree-heads/", {"limit": 2}).json()
    rest = leader.get(first["next"]).json()

    assert [h["tree_size"] for h in first["results"]] == [8, 4]
    assert [h["tree_size"] for h in rest["results"]] == [1]
    assert rest["next"] is None


def test_consistency_between_two_heads_verifies(leader, log):
    body = leader.get("/api/audit/consistency", {"old": 4, "new": 8}).json()

    assert body["verified"] is True
    assert body["old_root"] == body["old_head"]["root_hash"]
    assert body["new_root"] == body["new_head"]["root_hash"]


def test_consistency_defaults_to_the_latest_head(leader, log):
    body = leader.get("/api/audit/consistency", {"old": 1}).json()

    assert (body["old_size"], body["new_size"], body["verified"]) == (1, 8, True)


@pytest.mark.parametrize(
    ("params", "status"),
    [({}, 400), ({"old": "x"}, 400), ({"old": 8, "new": 4}, 400), ({"old": 3}, 404)],
)
def test_consistency_refuses_bad_sizes(leader, log, params, status):
    assert leader.get("/api/audit/consistency", params).status_code == status


def test_the_entry_detail_page_names_its_signed_head(client, bureau, log):
    client.force_login(bureau.officer)

    body = client.get(f"/audit/{log[2].seq}/").content.decode()

    assert log[2].entry_hash in body
    assert f"/api/audit/entries/{log[2].seq}/proof" in body
    assert "8 条记录" in body
