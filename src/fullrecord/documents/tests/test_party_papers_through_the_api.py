"""The party's papers in the API, described in its OpenAPI schema:
``GET /api/cases/{id}/party-papers/`` (each party's checklist, complete or what is
missing), ``POST`` the same (multipart ``party``, ``item``, ``file``) and
``POST …/party-papers/not-applicable`` (``party``, ``item``, ``reason``). The same
access as the other document endpoints: whoever sees the case reads, whoever files its
scans writes, and a case out of reach is 404."""

from __future__ import annotations

import hashlib

import pytest

from fullrecord.cases.choices import CaseState

from .helpers import PNG, item, ready_case, with_cause
from .world import png

pytestmark = pytest.mark.django_db

ID_CARD = "居民身份证或其他有效身份证件复印件"
LAND = "用地批准文件或土地使用权证明"


@pytest.fixture
def case(bureau):
    return with_cause(ready_case(bureau, CaseState.INVESTIGATING), "illegal-occupation")


def url(case, tail: str = "") -> str:
    return f"/api/cases/{case.pk}/party-papers/{tail}"


def test_the_checklist_lists_each_party_and_what_is_missing(api_client, bureau, case):
    api_client.force_authenticate(bureau.inspector)  # reads the case

    [party] = api_client.get(url(case)).json()

    assert party["name"] == case.parties.get().name and party["kind"] == "person"
    assert party["complete"] is False
    assert party["missing"] == [ID_CARD, LAND]
    lines = {line["name"]: line for line in party["lines"]}
    assert lines[ID_CARD]["status"] == "missing" and lines[ID_CARD]["required"] is True
    assert lines["授权委托书及受托人身份证件复印件"]["status"] == "optional"


def test_a_paper_is_filed_and_the_checklist_says_so(api_client, bureau, case):
    party = case.parties.get()
    api_client.force_authenticate(bureau.officer)

    response = api_client.post(
        url(case),
        {"party": party.pk, "item": item(ID_CARD).pk, "file": png("身份证.png")},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert (body["party"], body["paper_item"], body["status"]) == (
        party.pk,
        item(ID_CARD).pk,
        "received",
    )
    [listed] = api_client.get(url(case)).json()
    line = next(x for x in listed["lines"] if x["name"] == ID_CARD)
    assert line["status"] == "filed" and line["papers"][0]["id"] == body["id"]
    assert listed["missing"] == [LAND]


def test_an_item_is_marked_not_applicable_with_its_reason(api_client, bureau, case):
    party = case.parties.get()
    api_client.force_authenticate(bureau.head)

    response = api_client.post(
        url(case, "not-applicable"),
        {"party": party.pk, "item": item(LAND).pk, "reason": "当事人称无任何用地手续"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "当事人称无任何用地手续"
    [listed] = api_client.get(url(case)).json()
    line = next(x for x in listed["lines"] if x["name"] == LAND)
    assert line["status"] == "not_applicable"
    assert line["not_applicable"]["recorded_by"] == str(bureau.head)


def test_a_reader_is_refused_and_an_outsider_finds_nothing(api_client, bureau, case):
    party = case.parties.get()
    body = {"party": party.pk, "item": item(ID_CARD).pk, "file": png()}

    api_client.force_authenticate(bureau.inspector)
    assert api_client.post(url(case), body, format="multipart").status_code == 400
    api_client.force_authenticate(bureau.other_officer)
    assert api_client.get(url(case)).status_code == 404
    assert api_client.post(url(case), body, format="multipart").status_code == 404
    assert not case.documents.exists()


def test_the_schema_describes_the_party_papers(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]

    assert {"get", "post"} <= set(paths["/api/cases/{id}/party-papers/"])
    assert "post" in paths["/api/cases/{id}/party-papers/not-applicable"]
    upload = paths["/api/cases/{id}/party-papers/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
