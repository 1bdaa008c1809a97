"""CSRF: the sign-in form and session-authenticated API writes need the token."""

from __future__ import annotations

import re

from django.test import Client


def test_the_sign_in_form_without_a_token_is_refused(bureau):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "officer", "password": "pw"})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_sign_in_form_with_its_token_signs_in(bureau):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(
        "/accounts/login/",
        {"username": "officer", "password": "pw", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302


def test_a_session_api_write_without_a_token_is_refused(bureau):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)

    response = client.post("/api/cases/", {}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_session_api_write_with_the_token_gets_past_csrf(bureau):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)
    client.get("/accounts/profile/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/api/cases/", {}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 400  # the empty case is refused, but not for CSRF


def test_the_sign_out_needs_the_token(bureau):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)

    assert client.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in client.session
