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
    sample, all_taken = {}, []
    for kind in ("case", "footage"):  # Step 2: kinds in this order
        sample[kind] = {}
        table, default = sizes[kind]["strata"], sizes[kind]["default"]
        names = set(population.get(kind, {})) | set(table)
        # Digits-only names first by value, then the others by text.
        numeric = sorted((n for n in names if n.isascii() and n.isdigit()), key=int)
        for stratum in numeric + sorted(names - set(numeric)):
            n = table.get(stratum, default)
            if n == 0:
                continue
            ids = sorted(set(population.get(kind, {}).get(stratum, [])))
            # Step 3: key = hex SHA-256 of "<seed>|<kind>|<stratum>|<id>" (UTF-8).
            keyed = sorted(
                ids,
                key=lambda i: (
                    hashlib.sha256(f"{seed}|{kind}|{stratum}|{i}".encode()).hexdigest(),
                    i,
                ),
            )
            sample[kind][stratum] = keyed[:n]  # Step 4: the first n, all when no more
            if len(ids) <= n:
                all_taken.append(f"{kind}:{stratum}")
    return seed, sample, all_taken


def test_the_document_states_the_construction_this_test_follows():
    text = DOC.read_text(encoding="utf-8")
    assert "fullrecord-sample-v1|<plan id>|<tree size>|<root hash>" in text
    assert "<seed>|<kind>|<stratum>|<id>" in text
    assert "names made only of the digits 0–9 first, by their value" in text
    assert "`default` when the table does not name it; skip a stratum whose `n` is 0" in text
    assert re.search(r"SHA-256", text)


def _redraw_from_the_api(api_client, p):
    answer = api_client.get(reverse("api:inspection-plan-sample", args=[p.pk])).json()
    seed, sample, all_taken = redraw_as_the_document_says(
        answer["plan"],
        answer["seed_tree_size"],
        answer["seed_root_hash"],
        answer["population"],
        answer["sizes"],
    )
    assert seed == answer["seed"]
    assert sample == answer["sample"]
    assert all_taken == answer["all_taken"]
    listed = {}
    for entry in answer["entries"]:
        listed.setdefault((entry["kind"], entry["stratum"]), []).append(
            entry["case"] or entry["item"]
        )
    assert listed == {
        (kind, stratum): ids
        for kind, strata in sample.items()
        for stratum, ids in strata.items()
        if ids
    }
    return sample, all_taken


def test_an_outsider_following_the_document_draws_the_same_sample(world, api_client):
    p = plan(world, cases_per_stratum=3, footage_per_stratum=2)
    services.draw_sample(p, actor=world.inspector)
    api_client.force_authenticate(world.inspector)

    sample, _all_taken = _redraw_from_the_api(api_client, p)

    assert sum(len(ids) for ids in sample["case"].values()) == 6  # 3 from each section


def test_an_outsider_draws_the_same_sample_per_stratum_with_sizes_of_their_own(world, api_client):
    b = world.bureau
    p = plan(
        world,
        cases_per_stratum=1,
        footage_per_stratum=0,
        footage_strata="source",
        stratum_sizes={
            "case": {str(b.section1.pk): 3},
            "footage": {"DSJ-01": 2, "DSJ-02": 9, "DSJ-99": 1},
        },
    )
    services.draw_sample(p, actor=world.inspector)
    api_client.force_authenticate(world.inspector)

    sample, all_taken = _redraw_from_the_api(api_client, p)

    assert len(sample["case"][str(b.section1.pk)]) == 3
    assert len(sample["case"][str(b.section2.pk)]) == 1  # not listed: the default
    assert len(sample["footage"]["DSJ-01"]) == 2
    assert sorted(sample["footage"]["DSJ-02"]) == sorted(i.pk for i in world.items2)
    assert sample["footage"]["DSJ-99"] == []  # named, nothing recorded by it
    assert all_taken == ["footage:DSJ-02", "footage:DSJ-99"]
