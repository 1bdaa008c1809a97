"""``fullrecord case_transition`` applies the same rules as the page and the API."""

import pytest
from django.core.management import CommandError, call_command

from fullrecord.cases import services
from fullrecord.core.testing.factories import CauseFactory

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


@pytest.fixture
def case(bureau):
    return services.create_case(
        actor=bureau.officer,
        cause=CauseFactory(),
        source="patrol",
        org_unit=bureau.section1,
        address="城关镇",
    )


def test_it_moves_a_case_as_the_named_user(case, bureau, capsys):
    call_command("case_transition", case.number, "stop", "--as", bureau.officer.username)
    case.refresh_from_db()
    assert case.state == "stopped"


def test_it_refuses_what_the_user_may_not_do(case, bureau):
    with pytest.raises(CommandError, match="负责|responsible"):
        call_command("case_transition", case.number, "stop", "--as", bureau.other_officer.username)
    case.refresh_from_db()
    assert case.state == "discovered"
