"""The sampling algorithm of docs/supervision.md, with no database in it.

Anyone can re-draw a sample outside the system from the same inputs: the plan's id,
the signed tree head the seed came from, the population per stratum and the sample
size. Every step here is written down in docs/supervision.md ("The draw, step by
step"); change one and you change the document, the version tag and the test that
re-implements it from the document alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

VERSION = "fullrecord-sample-v1"
KINDS = ("case", "footage")


def derive_seed(plan_id: int, tree_size: int, root_hash: str) -> str:
    """Step 1: the seed, from the plan and the latest signed tree head when the plan started."""
    text = f"{VERSION}|{plan_id}|{tree_size}|{root_hash.lower()}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def sort_key(seed: str, kind: str, stratum: int, record_id: int) -> str:
    """Step 3: each member's key, the hash of the seed with the member's identity."""
    text = f"{seed}|{kind}|{stratum}|{record_id}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Drawn:
    sample: dict[str, dict[str, list[int]]]  # kind -> stratum (as text) -> ids, in drawn order
    all_taken: list[str]  # "kind:stratum" where the population was no larger than the size


def draw(seed: str, population: dict[str, dict[str, list[int]]], sizes: dict[str, int]) -> Drawn:
    """Steps 2–4: order each stratum by key and take the first ``sizes[kind]`` members."""
    sample: dict[str, dict[str, list[int]]] = {}
    all_taken: list[str] = []
    for kind in KINDS:
        size = sizes.get(kind, 0)
        strata = population.get(kind, {})
        sample[kind] = {}
        if size <= 0:
            continue
        for stratum in sorted(strata, key=int):
            members = sorted(set(strata[stratum]))
            ranked = sorted(members, key=lambda rid: (sort_key(seed, kind, int(stratum), rid), rid))
            sample[kind][stratum] = ranked[:size]
            if len(members) <= size:
                all_taken.append(f"{kind}:{stratum}")
    return Drawn(sample=sample, all_taken=all_taken)
