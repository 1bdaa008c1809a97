"""Persona × endpoint: who gets 200 and who 404 on every audit page and API endpoint.

Every named route of ``audit.urls`` and ``audit.api.urls`` must have a row in
``ENDPOINTS``: a new endpoint without one fails ``test_every_audit_endpoint_is_in_the_matrix``.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from fullrecord.audit import urls as page_urls
from fullrecord.audit.api import urls as api_urls
from fullrecord.audit.services import sign_tree_head
from fullrecord.core.testing.personas import PERSONAS

from .logbook import write_logbook

SEARCHERS = set(PERSONAS) - {"nobody"}
# Who reads the target entry: officer's edit of a section-one case (see logbook.EXPECTED).
# The audit administrator reads every entry (三员, security app).
TARGET_READERS = {"officer", "head", "leader", "inspector", "admin", "audit_admin"}

# route name -> (how to build the path from the logbook, who gets 200)
ENDPOINTS = {
    "audit:list": (lambda b: "/audit/", SEARCHERS),
    "audit:detail": (lambda b: f"/audit/{b.target}/", TARGET_READERS),
    "audit:export csv": (lambda b: "/audit/export.csv", SEARCHERS),
    "audit:export pdf": (lambda b: "/audit/export.pdf", SEARCHERS),
    "api:audit-entry-list": (lambda b: "/api/audit/entries/", SEARCHERS),
    "api:audit-entry-detail": (lambda b: f"/api/audit/entries/{b.target}/", TARGET_READERS),
    "api:audit-entry-proof": (lambda b: f"/api/audit/entries/{b.target}/proof", TARGET_READERS),
    "api:audit-tree-heads": (lambda b: "/api/audit/tree-heads/", SEARCHERS),
    "api:audit-consistency": (lambda b: "/api/audit/consistency?old=1", SEARCHERS),
    "api:audit-public-key": (lambda b: "/api/audit/public-key", SEARCHERS),
    "api:audit-export csv": (lambda b: "/api/audit/export.csv", SEARCHERS),
    "api:audit-export pdf": (lambda b: "/api/audit/export.pdf", SEARCHERS),
}
MULTI_FORMAT = {"audit:export", "api:audit-export"}


@pytest.fixture
def book(bureau):
    book = write_logbook(bureau)
    book.target = book.entries["officer_case1"].seq
    sign_tree_head()
    return book


def _route_names(module, prefix: str) -> set[str]:
    names = set()
    for pattern in module.urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = f"{prefix}:{pattern.name}"
        names |= {f"{name} csv", f"{name} pdf"} if name in MULTI_FORMAT else {name}
    return names


def test_every_audit_endpoint_is_in_the_matrix():
    routes = _route_names(page_urls, "audit") | _route_names(api_urls, "api")

    assert routes == set(ENDPOINTS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_persona_gets_200_or_404(client, bureau, book, endpoint, persona):
    build, allowed = ENDPOINTS[endpoint]
    client.force_login(getattr(bureau, persona))

    response = client.get(build(book))

    assert response.status_code == (200 if persona in allowed else 404), response.content[:200]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_anonymous_is_sent_to_sign_in_or_refused(client, book, endpoint):
    build, _ = ENDPOINTS[endpoint]

    response = client.get(build(book))

    if endpoint.startswith("api:"):
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("seq", ["0", "99999999", "99999999999999999999999"])
def test_missing_and_malformed_entries_are_404(client, bureau, book, seq):
    client.force_login(bureau.leader)

    assert client.get(f"/audit/{seq}/").status_code == 404
    assert client.get(f"/api/audit/entries/{seq}/").status_code == 404
    assert client.get(f"/api/audit/entries/{seq}/proof").status_code == 404
