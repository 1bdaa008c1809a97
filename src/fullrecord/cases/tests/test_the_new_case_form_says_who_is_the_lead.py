"""The co-handler choice on a new case says who is 主办 (issue 14): the section head picks
the lead officer and ticks the co-handlers (协办); an officer opening a case is told they
lead it; the case page marks 主办 and 协办."""

from __future__ import annotations

from django.utils import timezone

from fullrecord.cases.models import Case
from fullrecord.core.testing.factories import CauseFactory


def form(bureau, **extra) -> dict:
    return {
        "cause": CauseFactory().pk,
        "source": "patrol",
        "org_unit": bureau.section1.pk,
        "discovered_on": timezone.localdate().isoformat(),
        "address": "河西村二组",
        "summary": "",
        "latitude": "",
        "longitude": "",
        "parties-TOTAL_FORMS": "0",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_the_head_sees_the_lead_and_the_co_handlers_by_name(bureau, client):
    client.force_login(bureau.head)

    page = client.get("/cases/new/").content.decode()

    assert "主办执法人员" in page and "协办执法人员" in page
    assert 'name="lead"' in page


def test_the_chosen_lead_leads_whatever_order_the_ticks_come_in(bureau, client):
    client.force_login(bureau.head)

    response = client.post(
        "/cases/new/",
        form(bureau, lead=bureau.officer2.pk, officers=[bureau.officer.pk, bureau.officer2.pk]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(address="河西村二组")
    assert case.assignments.get(is_lead=True).officer == bureau.officer2
    assert set(
        case.assignments.filter(is_lead=False).values_list("officer__username", flat=True)
    ) >= {"officer"}
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="lead-officer">主办<' in page and "协办" in page


def test_co_handlers_without_a_lead_are_refused_keeping_what_was_typed(bureau, client):
    client.force_login(bureau.leader)  # not an officer: cannot be the lead by default

    response = client.post(
        "/cases/new/", form(bureau, officers=[bureau.officer.pk, bureau.officer2.pk])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "请选择主办执法人员" in page
    assert 'value="河西村二组"' in page
    assert not Case.objects.filter(address="河西村二组").exists()


def test_an_officer_opening_a_case_is_told_they_lead_it(bureau, client):
    client.force_login(bureau.officer)

    page = client.get("/cases/new/").content.decode()
    assert 'data-testid="opener-leads"' in page and "主办" in page

    client.post("/cases/new/", form(bureau))
    case = Case.objects.get(address="河西村二组")
    assert case.assignments.get(is_lead=True).officer == bureau.officer
