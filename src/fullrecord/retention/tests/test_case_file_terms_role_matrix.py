"""Who may read and change case-file terms, on the page and in the API: the
administrator changes them; archivists, leaders and inspectors read them; everyone else
gets the same 404 as for a term that does not exist (the API's list is empty for them)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from fullrecord.core.testing.personas import PERSONAS
from fullrecord.retention.choices import Outcome
from fullrecord.retention.models import CaseFileTerm

pytestmark = pytest.mark.django_db

KEEPERS = {"admin"}
READERS = {"admin", "archivist", "leader", "inspector", "outsider_leader"}


def _each(bureau, call) -> dict[str, int]:
    answers = {}
    for name in [*PERSONAS, "anonymous"]:
        with transaction.atomic():
            answers[name] = call(None if name == "anonymous" else getattr(bureau, name))
            transaction.set_rollback(True)
    return answers


def _page(method: str, url: str, data=None):
    def call(user) -> int:
        client = Client()
        if user is not None:
            client.force_login(user)
        return getattr(client, method)(url, data or {}).status_code

    return call


def _api(api_client, method: str, url: str, data=None):
    def call(user) -> int:
        api_client.force_authenticate(user)
        return getattr(api_client, method)(url, data or {}, format="json").status_code

    return call


def _expect(answers, allowed: int, *, readers: int = 404, others: int = 404, anonymous: int):
    for name in PERSONAS:
        want = allowed if name in KEEPERS else readers if name in READERS else others
        assert answers[name] == want, (name, answers[name], want)
    assert answers["anonymous"] == anonymous


@pytest.fixture
def term():
    return CaseFileTerm.objects.get(outcome=Outcome.PENALTY, years=30)


def test_the_pages(bureau, term):
    edit = reverse("retention:term_edit", args=[term.pk])
    form = {"name": "处罚案件", "outcome": Outcome.PENALTY, "years": 25, "reason": "矩阵"}
    _expect(
        _each(bureau, _page("get", reverse("retention:terms"))), 200, readers=200, anonymous=302
    )
    _expect(_each(bureau, _page("get", reverse("retention:term_add"))), 200, anonymous=302)
    _expect(_each(bureau, _page("post", reverse("retention:term_add"), form)), 302, anonymous=302)
    _expect(_each(bureau, _page("get", edit)), 200, anonymous=302)
    _expect(_each(bureau, _page("post", edit, form)), 302, anonymous=302)
    active = reverse("retention:term_active", args=[term.pk])
    _expect(
        _each(bureau, _page("post", active, {"active": "0", "note": "矩阵"})), 302, anonymous=302
    )
    term.refresh_from_db()
    assert (term.years, term.active) == (30, True)  # every call was undone


def test_the_api(bureau, api_client, term):
    url = f"/api/retention-terms/{term.pk}/"
    new = {"name": "矩阵", "outcome": Outcome.PENALTY, "years": 40, "reason": "矩阵"}
    _expect(
        _each(bureau, _api(api_client, "get", "/api/retention-terms/")),
        200,
        readers=200,
        others=200,
        anonymous=401,
    )
    _expect(
        _each(bureau, _api(api_client, "post", "/api/retention-terms/", new)),
        201,
        readers=400,
        others=400,
        anonymous=401,
    )
    _expect(_each(bureau, _api(api_client, "get", url)), 200, readers=200, anonymous=401)
    change = {"years": 25, "reason": "矩阵"}
    _expect(_each(bureau, _api(api_client, "patch", url, change)), 200, readers=400, anonymous=401)
    for action in ("deactivate", "activate"):
        if action == "activate":
            CaseFileTerm.objects.filter(pk=term.pk).update(active=False)
        answers = _each(bureau, _api(api_client, "post", f"{url}{action}", {"reason": "矩阵"}))
        _expect(answers, 200, readers=400, anonymous=401)


def test_the_list_shows_terms_to_readers_only(bureau, api_client):
    seen = {}
    for name in PERSONAS:
        api_client.force_authenticate(getattr(bureau, name))
        body = api_client.get("/api/retention-terms/").json()
        rows = body["results"] if isinstance(body, dict) else body
        seen[name] = len(rows)
    total = CaseFileTerm.objects.count()
    assert total and all(seen[n] == (total if n in READERS else 0) for n in PERSONAS), seen
