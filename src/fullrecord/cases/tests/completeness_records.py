"""A stand-in for the record apps in the completeness tests: expectations set by the test.

The tests of ``cases.completeness`` must not depend on what the written-records or the
media app expect today, so they replace every registered rule by one whose records
the test declares and adds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fullrecord.cases import completeness
from fullrecord.cases.completeness import Entry
from fullrecord.cases.models import Case
from fullrecord.core.testing.workflow import only_case_requirements

# (stage, kind, code, required)
DEFAULT = [
    ("discovery", "written", "违法线索登记表", True),
    ("stopping", "audiovisual", "footage", True),
    ("stopping", "written", "责令停止违法行为通知书", True),
    ("filing", "written", "立案呈批表", True),
    ("investigation", "written", "询问笔录", True),
    ("investigation", "audiovisual", "footage", True),
    ("investigation", "party", "身份证明", True),
    ("investigation", "written", "鉴定意见", False),
    ("enforcement", "audiovisual", "footage", True),
    ("closing", "written", "结案呈批表", True),
]


class Records:
    def __init__(self, expected) -> None:
        self.expected = list(expected)
        self.present: set[tuple[int, str, str, str]] = set()

    def rule(self, case: Case) -> list[Entry]:
        return [
            Entry(
                stage=stage,
                kind=kind,
                label="现场录像" if code == "footage" else code,
                present=(case.pk, stage, kind, code) in self.present,
                required=required,
                code=code,
            )
            for stage, kind, code, required in self.expected
        ]

    def add(self, case: Case, stage: str, kind: str, code: str) -> None:
        """The record is made, and the record app refreshes the summary, as a service would."""
        self.present.add((case.pk, stage, kind, code))
        completeness.refresh(case)

    def complete(self, case: Case, *stages: str) -> None:
        for stage, kind, code, _required in self.expected:
            if stage in stages:
                self.present.add((case.pk, stage, kind, code))
        completeness.refresh(case)


@contextmanager
def only_these_records(expected=DEFAULT) -> Iterator[Records]:
    """The test's records are all the stages expect; the other apps' own requirements of
    the moves (an approved 结案呈批表 …) are suspended too: they are tested in those apps."""
    records = Records(expected)
    with only_case_requirements(rules=[records.rule]):
        yield records
