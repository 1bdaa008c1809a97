"""Reproducibility (第二十条): the sample follows from docs/supervision.md alone.

This module does not import the sampling code. It reads the plan's inputs as anyone
outside the system gets them (the API's sample answer: plan id, signed tree head,
population per stratum, sizes) and follows the steps the document writes down.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.urls import reverse

from fullrecord.supervision import services

from .world import plan

DOC = Path(__file__).resolve().parents[4] / "docs" / "supervision.md"


def redraw_as_the_document_says(plan_id, tree_size, root_hash, population, sizes):
    # Step 1: seed = hex SHA-256 of "fullrecord-sample-v1|<plan>|<tree size>|<root hex>".
    seed = hashlib.sha256(
        f"fullrecord-sample-v1|{plan_id}|{tree_size}|{root_hash}".encode()
    ).hexdigest()
    sample = {}
    for kind in ("case", "footage"):  # Step 2: kinds in this order, strata by number
        sample[kind] = {}
        if sizes[kind] <= 0:
            continue
        for stratum in sorted(population.get(kind, {}), key=int):
            ids = sorted(set(population[kind][stratum]))
            # Step 3: key = hex SHA-256 of "<seed>|<kind>|<stratum>|<id>".
            keyed = sorted(
                ids,
                key=lambda i: (
                    hashlib.sha256(f"{seed}|{kind}|{stratum}|{i}".encode()).hexdigest(),
                    i,
                ),
            )
            sample[kind][stratum] = keyed[: sizes[kind]]  # Step 4: the first n
    return seed, sample


def test_the_document_states_the_construction_this_test_follows():
    text = DOC.read_text(encoding="utf-8")
    assert "fullrecord-sample-v1|<plan id>|<tree size>|<root hash>" in text
    assert "<seed>|<kind>|<stratum>|<id>" in text
    assert re.search(r"SHA-256", text)


def test_an_outsider_following_the_document_draws_the_same_sample(world, api_client):
    p = plan(world, cases_per_stratum=3, footage_per_stratum=2)
    services.draw_sample(p, actor=world.inspector)
    api_client.force_authenticate(world.inspector)

    answer = api_client.get(reverse("api:inspection-plan-sample", args=[p.pk])).json()

    seed, sample = redraw_as_the_document_says(
        answer["plan"],
        answer["seed_tree_size"],
        answer["seed_root_hash"],
        answer["population"],
        {
            "case": answer["scope"]["cases_per_stratum"],
            "footage": answer["scope"]["footage_per_stratum"],
        },
    )
    assert seed == answer["seed"]
    assert sample == answer["sample"]
    listed = {}
    for entry in answer["entries"]:
        listed.setdefault((entry["kind"], str(entry["stratum"])), []).append(
            entry["case"] or entry["item"]
        )
    assert listed == {
        (kind, stratum): ids for kind, strata in sample.items() for stratum, ids in strata.items()
    }
    assert sum(len(ids) for ids in sample["case"].values()) == 6  # 3 from each section
