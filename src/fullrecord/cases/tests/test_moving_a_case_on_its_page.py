"""The case page offers the moves a user may make and makes them through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.translation import gettext as _

from fullrecord.cases.choices import CaseState
from fullrecord.cases.models import CaseTransition

from .helpers import ready_case

# Not about records: moves need only what cases itself asks (core.testing.workflow).
pytestmark = pytest.mark.usefixtures("without_record_requirements")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_offers_the_moves_with_their_blockers(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED, party=False)
    client.force_login(bureau.head)

    response = client.get(f"/cases/{case.pk}/")

    options = {o.transition.name: o for o in response.context["options"]}
    assert set(options) == {"file", "not_file", "transfer"}
    assert options["file"].blockers == [_("Record at least one party (当事人) before filing.")]
    assert _("Record at least one party (当事人) before filing.") in response.content.decode()


def test_the_page_offers_nothing_to_an_inspector(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED)
    client.force_login(bureau.inspector)

    response = client.get(f"/cases/{case.pk}/")

    assert response.status_code == 200
    assert response.context["options"] == []


def test_a_head_files_a_case_from_its_page(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED)
    client.force_login(bureau.head)

    response = client.post(
        f"/cases/{case.pk}/transitions/file/", {"reason": "证据确凿"}, follow=True
    )

    case.refresh_from_db()
    assert case.state == CaseState.FILED
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    step = CaseTransition.objects.get(case=case)
    assert (step.actor, step.reason) == (bureau.head, "证据确凿")
    timeline = response.context["timeline"]
    assert [item.kind for item in timeline][:2] == ["created", "transition"]
    assert any(item.kind == "deadline" for item in timeline)


def test_a_refused_move_on_the_page_says_why_and_changes_nothing(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED)
    client.force_login(bureau.head)

    response = client.post(f"/cases/{case.pk}/transitions/not_file/", {"reason": " "})

    assert response.status_code == 302
    assert messages_of(response) == [_("A reason is required.")]
    case.refresh_from_db()
    assert case.state == CaseState.STOPPED
    assert not CaseTransition.objects.filter(case=case).exists()


def test_a_hearing_is_requested_from_the_page_with_its_date(bureau, client):
    case = ready_case(bureau, CaseState.NOTIFIED, windows="open")
    client.force_login(bureau.officer)
    hearing = timezone.localdate() + timedelta(days=40)

    client.post(f"/cases/{case.pk}/transitions/request_hearing/", {"hearing_date": hearing})

    case.refresh_from_db()
    assert case.state == CaseState.HEARING
    assert CaseTransition.objects.get(case=case).data == {"hearing_date": hearing.isoformat()}


def test_an_unknown_move_on_the_page_is_refused_with_a_message(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED)
    client.force_login(bureau.head)

    response = client.post(f"/cases/{case.pk}/transitions/teleport/")

    assert response.status_code == 302
    assert len(messages_of(response)) == 1


def test_moves_are_posts_only(bureau, client):
    case = ready_case(bureau, CaseState.STOPPED)
    client.force_login(bureau.head)

    assert client.get(f"/cases/{case.pk}/transitions/file/").status_code == 405
    case.refresh_from_db()
    assert case.state == CaseState.STOPPED


def test_a_head_removes_an_officer_but_not_below_two_during_investigation(bureau, client):
    case = ready_case(
        bureau,
        CaseState.INVESTIGATING,
        officers=[bureau.officer, bureau.officer2, bureau.other_officer],
    )
    client.force_login(bureau.head)

    client.post(f"/cases/{case.pk}/officers/{bureau.other_officer.pk}/remove/")
    response = client.post(f"/cases/{case.pk}/officers/{bureau.officer2.pk}/remove/")

    assert set(case.officers.values_list("username", flat=True)) == {"officer", "officer2"}
    assert messages_of(response) == [
        _("From investigation on, a case needs at least two officers (第十条).")
    ]


def test_a_party_cannot_be_removed_once_the_case_is_filed(bureau, client):
    case = ready_case(bureau, CaseState.FILED)
    party = case.parties.get()
    client.force_login(bureau.officer)

    response = client.post(f"/cases/{case.pk}/parties/{party.pk}/remove/")

    assert messages_of(response) == [_("Parties can only be removed before the case is filed.")]
    assert case.parties.exists()


def test_a_party_added_on_the_page_with_a_bad_id_is_refused_with_the_reason(bureau, client):
    case = ready_case(bureau, CaseState.DISCOVERED, party=False)
    client.force_login(bureau.officer)

    response = client.post(
        f"/cases/{case.pk}/parties/",
        {"kind": "person", "name": "钱某", "id_type": "resident_id", "id_number": "123"},
    )

    assert not case.parties.exists()
    assert response.status_code == 400
    page = response.content.decode()
    # The reason stands beside the field, and nothing typed is lost.
    assert _("A resident ID number has 18 characters: 17 digits and a digit or X.") in page
    assert 'value="钱某"' in page and 'value="123"' in page
