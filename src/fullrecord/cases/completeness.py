"""Completeness of a case's full-process record (第十一条, 第十八条第一项).

For every stage a case has reached, which written and audiovisual records it
holds and which are missing. The apps that hold records say what they expect
with :func:`register`; this module only gathers what they say, so ``cases``
knows no record type. Any service that changes a case's records calls
:func:`refresh` in the same transaction, so the stored summary the case list
filters on is never stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .models import Case


@dataclass(frozen=True)
class Entry:
    """One cell of the per-stage grid: a record the stage expects, and whether it is there."""

    stage: str  # a cases.choices.Stage value
    kind: str  # "written", "audiovisual" or "party"
    label: str  # what is expected, in the user's language (e.g. 询问笔录)
    present: bool
    required: bool = True
    detail: str = ""  # e.g. 文号 or the number of linked items
    url: str = ""


Rule = Callable[[Case], Iterable[Entry]]
_RULES: list[Rule] = []


def register(rule: Rule) -> Rule:
    """Add what an app expects of a case's stages (call from ``AppConfig.ready``)."""
    _RULES.append(rule)
    return rule


def rules() -> list[Rule]:
    return list(_RULES)


def entries(case: Case) -> list[Entry]:
    """Every expected record of the stages the case has reached, from every app."""
    found: list[Entry] = []
    for rule in _RULES:
        found.extend(rule(case))
    return found


def refresh(case: Case) -> None:
    """Recompute what the case lacks; call after any change of its records, in the same transaction."""
