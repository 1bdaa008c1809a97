"""The sampling algorithm of docs/supervision.md, with no database in it.

Anyone can re-draw a sample outside the system from the same inputs: the plan's id,
the signed tree head the seed came from, the population per stratum and the sample
size. Every step here is written down in docs/supervision.md ("The draw, step by
step"); change one and you change the document, the version tag and the test that
re-implements it from the document alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

VERSION = "fullrecord-sample-v1"
KINDS = ("case", "footage")


def derive_seed(plan_id: int, tree_size: int, root_hash: str) -> str:
    """Step 1: the seed, from the plan and the latest signed tree head when the plan started."""
    text = f"{VERSION}|{plan_id}|{tree_size}|{root_hash.lower()}"
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def sort_key(seed: str, kind: str, stratum: str, record_id: int) -> str:
    """Step 3: each member's key, the hash of the seed with the member's identity."""
    text = f"{seed}|{kind}|{stratum}|{record_id}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stratum_order(stratum: str) -> tuple:
    """Step 2: strata that are decimal numbers first, by value; then the others by text."""
    if stratum.isascii() and stratum.isdigit():
        return (0, int(stratum), "")
    return (1, 0, stratum)


@dataclass(frozen=True)
class Sizes:
    """The sample size of each stratum of a kind: ``strata`` names some, ``default`` is
    the size of every stratum not named (the previous release had only ``default``)."""

    default: int = 0
    strata: dict[str, int] = field(default_factory=dict)

    def of(self, stratum: str) -> int:
        return int(self.strata.get(stratum, self.default))


@dataclass(frozen=True)
class Drawn:
    sample: dict[str, dict[str, list[int]]]  # kind -> stratum (as text) -> ids, in drawn order
    all_taken: list[str]  # "kind:stratum" where the population was no larger than the size


def draw(seed: str, population: dict[str, dict[str, list[int]]], sizes: dict[str, Sizes]) -> Drawn:
    """Steps 2–4: order each stratum by key and take the first n of that stratum."""
    sample: dict[str, dict[str, list[int]]] = {}
    all_taken: list[str] = []
    for kind in KINDS:
        size = sizes.get(kind) or Sizes()
        strata = {str(k): v for k, v in population.get(kind, {}).items()}
        sample[kind] = {}
        # A stratum named with a size but holding no record is drawn too: empty, all taken.
        for stratum in sorted(set(strata) | set(size.strata), key=stratum_order):
            n = size.of(stratum)
            if n <= 0:
                continue
            members = sorted(set(strata.get(stratum, [])))
            ranked = sorted(members, key=lambda rid: (sort_key(seed, kind, stratum, rid), rid))
            sample[kind][stratum] = ranked[:n]
            if len(members) <= n:
                all_taken.append(f"{kind}:{stratum}")
    return Drawn(sample=sample, all_taken=all_taken)
