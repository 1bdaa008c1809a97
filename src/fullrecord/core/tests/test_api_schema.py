"""The API describes itself as OpenAPI 3 and answers under plural nouns."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_is_served_without_signing_in(client):
    assert client.get("/api/schema/").status_code == 200


def test_the_schema_describes_cases_and_their_moves(schema):
    paths = schema["paths"]

    assert "/api/cases/" in paths
    assert {"get", "post"} <= set(paths["/api/cases/{id}/transitions/"])
    assert "/api/causes/" in paths
    assert "/api/time-limits/" in paths


def test_the_schema_documents_token_authentication(schema):
    schemes = schema["components"]["securitySchemes"]

    assert any(
        s.get("type") == "apiKey" and s.get("name") == "Authorization" for s in schemes.values()
    )


def test_the_browsable_docs_answer(client):
    assert client.get("/api/docs/").status_code == 200


def test_healthz_answers_json_with_the_database_vendor(client):
    from django.db import connection

    body = client.get("/healthz").json()

    assert body["database"]["vendor"] == connection.vendor
