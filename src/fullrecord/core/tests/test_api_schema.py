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


def test_the_tus_upload_endpoints_are_described_with_the_methods_they_answer(schema, client):
    """Plain Django views, added by media/tus_schema.py: the schema lists every method the
    server allows on each, and the extensions the server announces."""
    uploads, upload = schema["paths"]["/api/uploads/"], schema["paths"]["/api/uploads/{upload_id}"]
    listed = {
        "/api/uploads/": set(uploads),
        "/api/uploads/{upload_id}": set(upload),
    }
    for path, url in (
        ("/api/uploads/", "/api/uploads/"),
        ("/api/uploads/{upload_id}", "/api/uploads/00000000-0000-0000-0000-000000000000"),
    ):
        refused = client.generic("PUT", url, HTTP_TUS_RESUMABLE="1.0.0")
        assert refused.status_code == 405
        allowed = {m.strip().lower() for m in refused["Allow"].split(",")}
        assert allowed == listed[path], path
    options = client.options("/api/uploads/")
    announced = uploads["options"]["responses"]["204"]["headers"]["Tus-Extension"]["description"]
    assert announced == options["Tus-Extension"]
    headers = {p["name"] for p in uploads["post"]["parameters"]}
    assert {"Tus-Resumable", "Upload-Length", "Upload-Metadata", "Upload-Checksum"} <= headers
    assert "application/offset+octet-stream" in upload["patch"]["requestBody"]["content"]
