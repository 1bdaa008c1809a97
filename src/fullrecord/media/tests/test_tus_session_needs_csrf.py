"""The upload page speaks tus with the session; every unsafe request must carry CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from fullrecord.media.models import Upload

from .tus_helpers import OFFSET_TYPE, URL, metadata


@pytest.fixture
def browser_client(bureau):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bureau.officer)
    assert client.get("/media/upload/").status_code == 200  # sets the CSRF cookie
    return client


def _token(client) -> str:
    return client.cookies["csrftoken"].value


def test_a_session_with_the_csrf_header_may_create_and_send(browser_client):
    headers = {"Tus-Resumable": "1.0.0", "X-CSRFToken": _token(browser_client)}
    created = browser_client.generic(
        "POST",
        URL,
        headers={**headers, "Upload-Length": "3", "Upload-Metadata": metadata(filename="a.jpg")},
    )
    assert created.status_code == 201
    done = browser_client.generic(
        "PATCH",
        created["Location"],
        data=b"abc",
        content_type=OFFSET_TYPE,
        headers={**headers, "Upload-Offset": "0"},
    )
    assert done.status_code == 204 and done["X-Media-Id"]


def test_a_session_without_csrf_is_refused_for_every_unsafe_method(browser_client):
    created = browser_client.generic(
        "POST",
        URL,
        headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "3",
            "X-CSRFToken": _token(browser_client),
        },
    )
    location = created["Location"]
    bare = {"Tus-Resumable": "1.0.0"}
    assert (
        browser_client.generic("POST", URL, headers={**bare, "Upload-Length": "3"}).status_code
        == 403
    )
    patch = browser_client.generic(
        "PATCH",
        location,
        data=b"abc",
        content_type=OFFSET_TYPE,
        headers={**bare, "Upload-Offset": "0"},
    )
    assert patch.status_code == 403
    assert browser_client.generic("DELETE", location, headers=bare).status_code == 403
    wrong = {**bare, "X-CSRFToken": "x" * 32}
    assert browser_client.generic("DELETE", location, headers=wrong).status_code == 403
    # Reading the offset is safe and needs no token.
    assert browser_client.head(location, headers=bare)["Upload-Offset"] == "0"
    assert Upload.objects.count() == 1
