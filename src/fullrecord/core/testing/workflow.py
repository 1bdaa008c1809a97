"""Tests about something else than records walk a case without the records its moves need.

The written-records, approval and completeness apps add requirements to the
case's moves (``cases.workflow.requirement``). A test of, say, deadlines or
access walks a case through many stages and is not about those documents; it
uses :func:`only_case_requirements` (or the ``without_record_requirements``
fixture) instead of drafting a case file first. Tests of those apps never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from fullrecord.cases import completeness, workflow


@contextmanager
def only_case_requirements(rules: Iterable[completeness.Rule] = ()) -> Iterator[None]:
    """Suspend the requirements that apps other than ``cases`` added to moves.

    The completeness rules other apps registered are suspended too (replaced by
    ``rules``, a test's own), so a stage counts as complete and the completeness
    requirement lets the move through.
    """
    saved = {name: list(funcs) for name, funcs in workflow._REQUIREMENTS.items()}
    saved_rules = list(completeness._RULES)
    for funcs in workflow._REQUIREMENTS.values():
        funcs[:] = [f for f in funcs if f.__module__.startswith("fullrecord.cases.")]
    completeness._RULES[:] = list(rules)
    try:
        yield
    finally:
        workflow._REQUIREMENTS.clear()
        workflow._REQUIREMENTS.update(saved)
        completeness._RULES[:] = saved_rules
