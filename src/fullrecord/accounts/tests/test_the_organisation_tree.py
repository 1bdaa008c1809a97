"""第五条 "各级国土部门": bureaus, detachments and sections in one tree."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fullrecord.accounts.choices import OrgUnitKind
from fullrecord.accounts.models import OrgUnit
from fullrecord.cases.access import visible_cases
from fullrecord.cases.choices import CaseState
from fullrecord.cases.tests.helpers import ready_case


def test_each_unit_knows_its_bureau_and_ancestors(bureau):
    squad = OrgUnit.objects.create(
        name="一组", kind=OrgUnitKind.SECTION, code="QH1-1", parent=bureau.section1
    )

    assert squad.bureau() == bureau.county
    assert bureau.county.bureau() == bureau.county
    assert squad.ancestors() == [bureau.city, bureau.county, bureau.section1]
    assert set(bureau.section1.subtree()) == {bureau.section1, squad}


def test_sibling_ids_that_share_a_prefix_are_not_mistaken_for_children(bureau):
    # Paths end in "/", so unit 1 does not claim unit 12 as its child.
    units = [
        OrgUnit.objects.create(name=f"科{n}", kind=OrgUnitKind.SECTION, code=f"K{n}")
        for n in range(12)
    ]
    first = units[0]

    assert set(first.subtree()) == {first}


def test_moving_a_section_moves_everything_below_it(bureau):
    squad = OrgUnit.objects.create(
        name="一组", kind=OrgUnitKind.SECTION, code="QH1-1", parent=bureau.section1
    )
    team = OrgUnit.objects.create(
        name="一队", kind=OrgUnitKind.SECTION, code="QH1-1-1", parent=squad
    )

    bureau.section1.parent = bureau.other_county
    bureau.section1.save()

    team.refresh_from_db()
    squad.refresh_from_db()
    assert team.path.startswith(bureau.other_county.path)
    assert squad.path.startswith(bureau.other_county.path)
    assert team.bureau() == bureau.other_county


def test_a_moved_section_takes_its_cases_out_of_the_old_bureaus_reach(bureau):
    case = ready_case(bureau, CaseState.FILED)

    bureau.section1.parent = bureau.other_county
    bureau.section1.save()

    assert case not in visible_cases(bureau.leader)
    assert case in visible_cases(bureau.outsider_leader)


def test_a_unit_cannot_be_placed_under_itself(bureau):
    squad = OrgUnit.objects.create(
        name="一组", kind=OrgUnitKind.SECTION, code="QH1-1", parent=bureau.section1
    )
    bureau.section1.parent = squad

    with pytest.raises(ValidationError):
        bureau.section1.full_clean()


def test_a_user_may_hold_several_roles(bureau):
    assert bureau.head.has_role("section_head")
    assert bureau.head.has_role("officer")
    assert bureau.head.sorted_roles == ["officer", "section_head"]
    assert not bureau.nobody.has_role("officer", "leader")
