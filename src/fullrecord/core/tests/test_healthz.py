import pytest


@pytest.mark.django_db
def test_it_reports_database_and_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["storage"]["ok"] is True


@pytest.mark.django_db
def test_it_needs_no_sign_in_and_sets_a_csp(client):
    response = client.get("/healthz")
    assert "default-src 'self'" in response["Content-Security-Policy"]
