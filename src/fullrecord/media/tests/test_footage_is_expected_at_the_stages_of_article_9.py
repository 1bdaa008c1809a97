"""Which stages of a case expect footage (第九条, 第十一条), and linking footage at a stage
makes it present at once: the stored summary the case list filters on follows the link."""

from __future__ import annotations

import pytest

from fullrecord.cases import completeness
from fullrecord.cases.choices import CaseState
from fullrecord.cases.tests.helpers import attempt, ready_case
from fullrecord.media import completeness as footage_rule
from fullrecord.media.services import link_to_case

from .evidence import ingest_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_footage():
    """What the written-records app expects is its own tests' business."""
    saved = list(completeness._RULES)
    completeness._RULES[:] = [footage_rule.footage]
    yield
    completeness._RULES[:] = saved


def cells(case) -> dict[str, tuple[str, bool]]:
    return {
        row.stage: (cell.status, cell.entry.required)
        for row in completeness.grid(case).rows
        for cell in row.cells
    }


def test_a_patrol_case_expects_footage_of_discovery_stopping_and_investigation(bureau):
    case = ready_case(bureau, CaseState.INVESTIGATING)

    assert cells(case) == {
        "discovery": ("missing", True),
        "stopping": ("missing", True),
        "investigation": ("missing", True),
    }


def test_a_reported_case_has_no_footage_of_its_discovery(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    case.source = "report"

    assert "discovery" not in cells(case)


def test_service_footage_is_expected_and_enforcement_footage_required(bureau):
    case = ready_case(bureau, CaseState.ENFORCING)

    found = cells(case)

    assert found["service"] == ("optional", False)
    assert found["enforcement"] == ("missing", True)
    assert "filing" not in found and "review" not in found and "decision" not in found


def test_linking_footage_at_the_stage_makes_it_present_and_refreshes_the_summary(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    completeness.refresh(case)
    assert case.completeness_missing == 2
    item = ingest_bytes(bureau.officer, b"site footage of stopping", "DSJ-0107_0001.mp4").item

    link_to_case(item, case, stage="stopping", actor=bureau.officer)

    case.refresh_from_db()
    assert case.completeness_missing == 1 and case.completeness_missing_stages == "discovery"
    assert cells(case)["stopping"] == ("present", True)
    [cell] = completeness.grid(case).row("stopping").cells
    assert cell.entry.url == f"/media/?case={case.pk}" and "1" in cell.entry.detail


def test_footage_linked_at_another_stage_does_not_count(bureau):
    case = ready_case(bureau, CaseState.STOPPED)
    item = ingest_bytes(bureau.officer, b"footage of the patrol", "DSJ-0107_0002.mp4").item

    link_to_case(item, case, stage="discovery", actor=bureau.officer)

    assert cells(case)["stopping"] == ("missing", True)
    assert cells(case)["discovery"] == ("present", True)


def test_the_move_out_of_stopping_waits_for_its_footage(bureau, without_record_requirements):
    # (the fixture suspends the other apps' requirements; the footage rule is put back)
    completeness._RULES[:] = [footage_rule.footage]
    case = ready_case(bureau, CaseState.STOPPED)
    item = ingest_bytes(bureau.officer, b"footage of the discovery", "DSJ-0107_0003.mp4").item
    link_to_case(item, case, stage="discovery", actor=bureau.officer)
    assert not attempt(case, "file", bureau.head)

    stop = ingest_bytes(bureau.officer, b"footage of stopping", "DSJ-0107_0004.mp4").item
    link_to_case(stop, case, stage="stopping", actor=bureau.officer)

    assert attempt(case, "file", bureau.head)
