"""The interface is Simplified Chinese by default, whatever the browser asks; English on request."""

import pytest


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_the_switch_to_english_sticks(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_api_clients_may_ask_for_english(api_client):
    response = api_client.get("/api/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (401, 403)
    assert "credentials" in response.json()["detail"].lower()
